"""Training recipes the benchmark compares: the sources' and the course's.

Each recipe trains one model from scratch under a seed and returns its quality and
training time. The course's recipes, and the sources' recipes that a chapter shows,
are the chapters' own (`course_utils.recipes`, generated from the cells marked
`#@save`), called here with the chapter's defaults; the benchmark only adds the
data, the evaluation and the sources' full budgets. The one source recipe no chapter
runs (two-sines, after Géron) is written here, with the source document named by
title. ``quick`` shrinks every budget so the code path can be tested in seconds;
quick numbers mean nothing.
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


def chapter_recipe(name: str, run: Callable[[Callable, bool], Outcome]) -> Callable[[bool], Outcome]:
    """A benchmark recipe that calls the chapters' saved recipe ``name``; it remembers which, for the page."""

    def recipe(quick: bool) -> Outcome:
        return run(getattr(cu.recipes, name), quick)

    recipe.saved = name
    return recipe


def chapters_of(recipes: list[Callable]) -> list[int]:
    """The chapter numbers (from the notebooks' file names) whose saved recipes ``recipes`` call."""
    from course_utils.recipes import SAVED_FROM

    return sorted({int(SAVED_FROM[r.saved].split("_")[0]) for r in recipes if hasattr(r, "saved")})


def _timed_fit(model, X, Y, **fit_args) -> float:
    start = time.perf_counter()
    model.fit(X, Y, verbose=0, **fit_args)
    return time.perf_counter() - start


# ---------------------------------------------------------------------- damped curve

DAMPED_WINDOW = 20


def _damped_data():
    _, y = cu.damped_curve(n_samples=200, stop=5 * np.pi, tau=5.0)
    X, Y = cu.shifted_windows(y, DAMPED_WINDOW)
    return y, X, Y


def _closed_loop_error(model, y) -> float:
    generated = cu.generate(cu.rnn_next(model), y[:DAMPED_WINDOW], len(y))
    return cu.closed_loop_error(generated, y, DAMPED_WINDOW)


def damped_source(layer_name: str, epochs: int) -> Callable[[bool], Outcome]:
    """The source documents "Basics of keras and RNN" (SimpleRNN, 500 epochs) and "Basics of keras and LSTM"
    (LSTM, 1,000 epochs), as the chapter that shows them runs them, with the documents' full budgets."""

    def run(recipe, quick: bool) -> Outcome:
        import keras

        y, X, Y = _damped_data()
        model, _, seconds = recipe(X, Y, layer=getattr(keras.layers, layer_name), epochs=2 if quick else epochs)
        return Outcome(_closed_loop_error(model, y), seconds)

    return chapter_recipe("damped_source_recipe", run)


def damped_course(layer_name: str) -> Callable[[bool], Outcome]:
    """The SimpleRNN of the damped-curve chapter, and the LSTM of the chapter that compares the two layers."""

    def run(recipe, quick: bool) -> Outcome:
        import keras

        y, X, Y = _damped_data()
        layer = {} if layer_name == "SimpleRNN" else {"layer": getattr(keras.layers, layer_name)}
        model, _, seconds = recipe(X, Y, **layer, **({"epochs": 1} if quick else {}))
        return Outcome(_closed_loop_error(model, y), seconds)

    return chapter_recipe("damped_recipe" if layer_name == "SimpleRNN" else "damped_layer_recipe", run)


# ---------------------------------------------------------------------- sunspots


def _sunspot_data():
    """Fit 1749-1916, early stopping on 1917-1936, test 1937-1983 (chapter 4 splits 1907-1936 finer)."""
    from sklearn.preprocessing import MinMaxScaler

    series = cu.load_sunspots().to_numpy()
    n_train = int(len(series) * 0.8)
    scaler = MinMaxScaler().fit(series[:n_train].reshape(-1, 1))      # training part only
    z = scaler.transform(series.reshape(-1, 1)).ravel()
    return z, n_train - 240, n_train


def _sunspot_windows(z, n_fit, n_train, window):
    """Sliding windows for the fit, validation and every test month, reaching back across splits as in chapter 4."""
    return (cu.sliding_windows(z[:n_fit], window), cu.sliding_windows(z[n_fit - window:n_train], window),
            cu.sliding_windows(z[n_train - window:], window))


def sunspots_persistence(quick: bool) -> Outcome:
    """The sunspot chapter's baseline: next month = this month, on every test month."""
    z, n_fit, n_train = _sunspot_data()
    _, _, (X_test, y_test) = _sunspot_windows(z, n_fit, n_train, 1)
    return Outcome(cu.rmse(y_test, X_test[:, -1, :]), 0.0)


def _sunspots_source(recipe, quick: bool) -> Outcome:
    z, n_fit, n_train = _sunspot_data()
    X, y = cu.non_overlapping_windows(z[:n_fit], 12)
    _, _, (X_test, y_test) = _sunspot_windows(z, n_fit, n_train, 12)
    model, _, seconds = recipe(X, y, **({"epochs": 1} if quick else {}))
    return Outcome(cu.rmse(y_test, model.predict(X_test, verbose=0)), seconds)


def _sunspots_course(recipe, quick: bool) -> Outcome:
    z, n_fit, n_train = _sunspot_data()
    fit, validation, (X_test, y_test) = _sunspot_windows(z, n_fit, n_train, 24)
    model, _, seconds = recipe(*fit, validation_data=validation, **({"epochs": 1} if quick else {}))
    return Outcome(cu.rmse(y_test, model.predict(X_test, verbose=0)), seconds)


#: The source document "Understanding Simple Recurrent Neural Networks in Keras" (Machine Learning Mastery,
#: with changes by Jan Mandel), as the sunspot chapter runs it.
sunspots_source = chapter_recipe("sunspot_source_recipe", _sunspots_source)
sunspots_course = chapter_recipe("change_recipe", _sunspots_course)


# ---------------------------------------------------------------------- synthetic, 10 steps


def _synthetic(quick: bool):
    """Chapters 5-7's task (`cu.synthetic_task`), its training part cut to 500 windows in a quick run."""
    task = cu.synthetic_task()
    (X_train, y_train, Y_train), (X_valid, y_valid, _) = task["train"], task["valid"]
    if quick:
        X_train, y_train, Y_train = X_train[:500], y_train[:500], Y_train[:500]
    return X_train, y_train, Y_train, X_valid, y_valid


def synthetic_naive(quick: bool) -> Outcome:
    """The baseline of the two-sines chapters: the last value, repeated 10 times."""
    *_, X_valid, y_valid = _synthetic(quick)
    return Outcome(cu.mse(y_valid, cu.repeat_last_value(X_valid, y_valid.shape[1])), 0.0)


def synthetic_source(kind: str) -> Callable[[bool], Outcome]:
    """The source document "Recurrent Neural Networks" (course notes after Géron's Hands-On Machine Learning,
    chapter 15): two layers of 20 units (a Conv1D(20, 4, strides=2) first for Conv1D+GRU), Dense(10),
    last step only, Adam with its defaults, batch 32, 15 epochs. No chapter runs it: it is written here only."""

    def recipe(quick: bool) -> Outcome:
        import keras

        X_train, y_train, _, X_valid, y_valid = _synthetic(quick)
        layer = getattr(keras.layers, "GRU" if kind == "Conv1D+GRU" else kind)
        front = [keras.layers.Conv1D(20, 4, strides=2, padding="valid")] if kind == "Conv1D+GRU" else []
        model = keras.Sequential([keras.Input(shape=(None, 1)), *front, layer(20, return_sequences=True),
                                  layer(20), keras.layers.Dense(10)])
        model.compile(optimizer="adam", loss="mse")
        seconds = _timed_fit(model, X_train, y_train, epochs=1 if quick else 15, batch_size=32)
        return Outcome(cu.mse(y_valid, model.predict(X_valid, verbose=0)), seconds)

    return recipe


#: model -> the chapters' saved recipe that trains it
SYNTHETIC_COURSE = {"SimpleRNN": "simple_rnn_recipe", "LSTM": "lstm_recipe", "GRU": "gru_recipe",
                    "Conv1D+GRU": "conv_gru_recipe", "dilated stack": "dilated_stack_recipe"}


def synthetic_course(kind: str) -> Callable[[bool], Outcome]:
    """The two-sines chapters' recipes: targets at every step (the first ones weighted zero), Adam with cosine
    decay, batch 32; judged on the last step's forecast."""

    def run(recipe, quick: bool) -> Outcome:
        X_train, _, Y_train, X_valid, y_valid = _synthetic(quick)
        model, _, seconds = recipe(X_train, Y_train, **({"epochs": 1} if quick else {}))
        return Outcome(cu.mse(y_valid, cu.last_step_forecast(model, X_valid)), seconds)

    return chapter_recipe(SYNTHETIC_COURSE[kind], run)
