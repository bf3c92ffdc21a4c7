"""Training recipes the benchmark compares: the sources' and the course's.

Each recipe trains one model from scratch under a seed and returns its
quality and training time. The course recipes mirror the chapters (named in
each docstring); the source recipes follow the source documents the course
draws on (named by title in each docstring), rewritten in Keras 3. ``quick`` shrinks every budget so the
code path can be tested in seconds; quick numbers mean nothing.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Callable

import numpy as np

import course_utils as cu


@dataclass(frozen=True)
class Outcome:
    quality: float     # lower is better: max error, RMSE or MSE, depending on the task
    seconds: float     # training time only (fit), not data preparation or evaluation


def _timed_fit(model, X, Y, **fit_args) -> float:
    start = time.perf_counter()
    model.fit(X, Y, verbose=0, **fit_args)
    return time.perf_counter() - start


def _cosine_adam(learning_rate: float, epochs: int, samples: int, batch_size: int):
    import keras

    steps = epochs * int(np.ceil(samples / batch_size))
    return keras.optimizers.Adam(learning_rate=keras.optimizers.schedules.CosineDecay(learning_rate, steps))


# ---------------------------------------------------------------------- damped curve (chapters 3 and 5)

DAMPED_WINDOW = 20


def _damped_data():
    _, y = cu.damped_curve(n_samples=200, stop=5 * np.pi, tau=5.0)
    X, Y = cu.shifted_windows(y, DAMPED_WINDOW)
    return y, X, Y


def _closed_loop_error(model, y) -> float:
    values = list(y[:DAMPED_WINDOW])
    while len(values) < len(y):
        window = np.array(values[-DAMPED_WINDOW:], dtype="float32").reshape(1, DAMPED_WINDOW, 1)
        values.append(float(model(window)[0, -1, 0]))
    return cu.max_abs_error(y[DAMPED_WINDOW:], np.array(values)[DAMPED_WINDOW:])


def damped_source(layer_name: str, epochs: int) -> Callable[[bool], Outcome]:
    """The source documents "Basics of keras and RNN" (SimpleRNN, 500 epochs) and "Basics of keras and LSTM"
    (LSTM, 1,000 epochs): 40 units, SGD, batch 10."""

    def recipe(quick: bool) -> Outcome:
        import keras

        y, X, Y = _damped_data()
        model = keras.Sequential([
            keras.Input(shape=(DAMPED_WINDOW, 1)),
            getattr(keras.layers, layer_name)(40, return_sequences=True),
            keras.layers.Dense(1),
        ])
        model.compile(optimizer=keras.optimizers.SGD(learning_rate=0.01), loss="mse")
        seconds = _timed_fit(model, X, Y, epochs=2 if quick else epochs, batch_size=10, validation_split=0.1)
        return Outcome(_closed_loop_error(model, y), seconds)

    return recipe


def damped_course(layer_name: str) -> Callable[[bool], Outcome]:
    """Chapter 3 (SimpleRNN: 64 units, unrolled, 150 epochs) and chapter 5 (LSTM: 40 units, 80 epochs):
    input noise, Adam with cosine decay, large repeated batches."""

    def recipe(quick: bool) -> Outcome:
        import keras

        units, epochs, unroll = DAMPED_COURSE[layer_name]
        y, X, Y = _damped_data()
        X, Y = X[:DAMPED_TRAIN], Y[:DAMPED_TRAIN]             # chapter 3 keeps the last 18 windows for validation
        model = keras.Sequential([
            keras.Input(shape=(DAMPED_WINDOW if unroll else None, 1)),   # as in each chapter
            keras.layers.GaussianNoise(DAMPED_NOISE),
            getattr(keras.layers, layer_name)(units, return_sequences=True, unroll=unroll),
            keras.layers.Dense(1),
        ])
        repeats, epochs = DAMPED_REPEATS, (1 if quick else epochs)
        X_rep, Y_rep = np.tile(X, (repeats, 1, 1)), np.tile(Y, (repeats, 1, 1))
        weights = np.ones(Y_rep.shape[:2])
        weights[:, :DAMPED_WARMUP] = 0.0                      # too little history: not counted
        model.compile(optimizer=_cosine_adam(1e-2, epochs, len(X_rep), len(X)), loss="mse",
                      steps_per_execution=repeats)
        seconds = _timed_fit(model, X_rep, Y_rep, sample_weight=weights, epochs=epochs, batch_size=len(X))
        return Outcome(_closed_loop_error(model, y), seconds)

    return recipe


DAMPED_NOISE, DAMPED_REPEATS, DAMPED_WARMUP, DAMPED_TRAIN = 0.001, 50, 10, 162
# layer: (units, epochs, unroll). Chapter 5 gives the LSTM the SimpleRNN's earlier budget, not chapter 3's final one.
DAMPED_COURSE = {"SimpleRNN": (64, 150, True), "LSTM": (40, 80, False)}


# ---------------------------------------------------------------------- sunspots (chapter 4)


def _sunspot_data():
    from sklearn.preprocessing import MinMaxScaler

    series = cu.load_sunspots().to_numpy()
    n_train = int(len(series) * 0.8)
    scaler = MinMaxScaler().fit(series[:n_train].reshape(-1, 1))      # training part only
    z = scaler.transform(series.reshape(-1, 1)).ravel()
    return z, n_train


def _sunspot_test_points(z, n_train, window=12):
    X_test, y_test = cu.non_overlapping_windows(z[n_train:], window)
    ends = n_train + np.arange(window, len(z) - n_train, window)[: len(y_test)]
    return X_test, y_test, ends


def sunspots_persistence(quick: bool) -> Outcome:
    """Chapter 4's baseline: next month = this month, on the 46 leak-free test points."""
    z, n_train = _sunspot_data()
    X_test, y_test, _ = _sunspot_test_points(z, n_train)
    return Outcome(cu.rmse(y_test, X_test[:, -1, :]), 0.0)


def sunspots_source(quick: bool) -> Outcome:
    """The source document "Understanding Simple Recurrent Neural Networks in Keras" (Machine Learning Mastery,
    with changes by Jan Mandel): SimpleRNN(3), tanh output, 12-month non-overlapping windows, Adam, batch 1, 20 epochs."""
    import keras

    z, n_train = _sunspot_data()
    X, y = cu.non_overlapping_windows(z[:n_train], 12)
    X_test, y_test, _ = _sunspot_test_points(z, n_train)
    model = keras.Sequential([keras.Input(shape=(12, 1)), keras.layers.SimpleRNN(3),
                              keras.layers.Dense(1, activation="tanh")])
    model.compile(optimizer="adam", loss="mse")
    seconds = _timed_fit(model, X, y, epochs=1 if quick else 20, batch_size=1)
    return Outcome(cu.rmse(y_test, model.predict(X_test, verbose=0)), seconds)


def sunspots_course(quick: bool) -> Outcome:
    """Chapter 4: SimpleRNN(32) on monthly changes, 24-month sliding windows, Adam 3e-3, batch 128, 30 epochs."""
    import keras

    z, n_train = _sunspot_data()
    X, y = cu.sliding_windows(z[:n_train], 24)
    _, y_test, ends = _sunspot_test_points(z, n_train)
    X_test = np.stack([z[end - 24:end] for end in ends])[..., np.newaxis]
    model = keras.Sequential([keras.Input(shape=(None, 1)), keras.layers.SimpleRNN(32), keras.layers.Dense(1)])
    model.compile(optimizer=keras.optimizers.Adam(learning_rate=3e-3), loss="mse")
    seconds = _timed_fit(model, X, y - X[:, -1, :], epochs=1 if quick else 30, batch_size=128, validation_split=0.1)
    return Outcome(cu.rmse(y_test, X_test[:, -1, :] + model.predict(X_test, verbose=0)), seconds)


# ---------------------------------------------------------------------- synthetic, 10 steps (chapters 5-7)


def _synthetic(quick: bool):
    splits = cu.synthetic_forecasting_splits()
    (X_train, y_train), (X_valid, y_valid) = splits.train, splits.valid
    if quick:
        X_train, y_train = X_train[:500], y_train[:500]
    return X_train, y_train, X_valid, y_valid


def synthetic_naive(quick: bool) -> Outcome:
    """Chapter 5's baseline: the last value, repeated 10 times."""
    _, _, X_valid, y_valid = _synthetic(quick)
    return Outcome(cu.mse(y_valid, np.repeat(X_valid[:, -1, :], y_valid.shape[1], axis=1)), 0.0)


def synthetic_source(kind: str) -> Callable[[bool], Outcome]:
    """The source document "Recurrent Neural Networks" (course notes after Géron's Hands-On Machine Learning,
    chapter 15): two layers of 20 units (a Conv1D(20, 4, strides=2) first for Conv1D+GRU), Dense(10),
    last step only, Adam with its defaults, batch 32, 15 epochs."""

    def recipe(quick: bool) -> Outcome:
        import keras

        X_train, y_train, X_valid, y_valid = _synthetic(quick)
        layer = getattr(keras.layers, "GRU" if kind == "Conv1D+GRU" else kind)
        front = [keras.layers.Conv1D(20, 4, strides=2, padding="valid")] if kind == "Conv1D+GRU" else []
        model = keras.Sequential([keras.Input(shape=(None, 1)), *front, layer(20, return_sequences=True),
                                  layer(20), keras.layers.Dense(10)])
        model.compile(optimizer="adam", loss="mse")
        seconds = _timed_fit(model, X_train, y_train, epochs=1 if quick else 15, batch_size=32)
        return Outcome(cu.mse(y_valid, model.predict(X_valid, verbose=0)), seconds)

    return recipe


def synthetic_course(kind: str) -> Callable[[bool], Outcome]:
    """Chapters 5-7: targets at every step (the first ones weighted zero), Adam with cosine decay, batch 128."""

    def recipe(quick: bool) -> Outcome:
        import keras

        X_train, y_train, X_valid, y_valid = _synthetic(quick)
        settings = SYNTHETIC_COURSE[kind]
        Y = cu.every_step_targets(X_train, y_train)
        if kind == "Conv1D+GRU":
            Y = Y[:, 3::2]                                     # one row per convolution output
            layers = [keras.layers.Conv1D(settings["filters"], 4, strides=2, padding="valid"),
                      keras.layers.GRU(settings["units"], return_sequences=True)]
        elif kind == "WaveNet":
            layers = [keras.layers.Conv1D(settings["filters"], 2, padding="causal", dilation_rate=d, activation="relu")
                      for d in [1, 2, 4, 8, 16] * 2]
        else:
            layer = getattr(keras.layers, kind)
            layers = [layer(settings["units"], return_sequences=True) for _ in range(settings["layers"])]
        head = keras.layers.Conv1D(10, 1) if kind == "WaveNet" else keras.layers.Dense(10)
        model = keras.Sequential([keras.Input(shape=(None, 1)), *layers, head])
        epochs = 1 if quick else settings["epochs"]
        weights = np.ones(Y.shape[:2])
        weights[:, :settings["warmup"]] = 0.0                 # too little history: not counted
        model.compile(optimizer=_cosine_adam(settings["lr"], epochs, len(X_train), 128), loss="mse")
        seconds = _timed_fit(model, X_train, Y, sample_weight=weights, epochs=epochs, batch_size=128)
        return Outcome(cu.mse(y_valid, model.predict(X_valid, verbose=0)[:, -1]), seconds)

    return recipe


SYNTHETIC_COURSE = {
    "SimpleRNN": {"units": 32, "layers": 2, "epochs": 20, "lr": 5e-3, "warmup": 15},        # chapter 5
    "LSTM": {"units": 64, "layers": 1, "epochs": 30, "lr": 1e-2, "warmup": 15},             # chapter 5
    "GRU": {"units": 64, "layers": 1, "epochs": 30, "lr": 1e-2, "warmup": 15},              # chapter 6
    "Conv1D+GRU": {"filters": 64, "units": 128, "epochs": 30, "lr": 1e-2, "warmup": 8},     # chapter 7
    "WaveNet": {"filters": 32, "epochs": 20, "lr": 1e-2, "warmup": 15},                     # chapter 7
}
