"""Checks for the exercises of chapter 5 (LSTM)."""

from __future__ import annotations

from typing import Callable

import numpy as np

from ._core import ExerciseFailed, attempt, passed

PARAM_COUNT = "Exercise 5.1"
LSTM_STEP = "Exercise 5.2"
NAIVE = "Exercise 5.3"
#: Relative and absolute tolerance for "equal to float64 round-off": a NumPy step in float64
#: agrees with the reference to about 1e-15; 1e-10 leaves room for another order of operations.
ROUND_OFF = 1e-10


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-z))


# ---------------------------------------------------------------- 5.1 parameter count


def check_lstm_param_count(lstm_param_count: Callable[[int, int], int]) -> None:
    """Compare the learner's LSTM parameter count with the formula Keras follows, for several sizes."""
    for features, units in [(2, 5), (1, 20), (20, 20), (3, 64)]:
        got = attempt(PARAM_COUNT, lstm_param_count, features, units)
        if isinstance(got, bool) or not isinstance(got, (int, np.integer)):
            raise ExerciseFailed(PARAM_COUNT, f"return a whole number (int), got {type(got).__name__} {got!r}.")
        want = 4 * units * (features + units + 1)
        if got == want:
            continue
        where = f"for features={features}, units={units} you return {got}, but Keras counts {want}."
        if got == units * (features + units + 1):
            raise ExerciseFailed(PARAM_COUNT, f"{where} That is a SimpleRNN's count: an LSTM has four such blocks (three gates and the candidate).")
        if got == 3 * units * (features + units + 1):
            raise ExerciseFailed(PARAM_COUNT, f"{where} Count the blocks again: input, forget and output gates, plus the candidate state.")
        if got == 4 * units * (features + units):
            raise ExerciseFailed(PARAM_COUNT, f"{where} The biases are missing: each of the four blocks has one per unit.")
        if got == 4 * units * (features + 2 * units + 1):
            raise ExerciseFailed(PARAM_COUNT, f"{where} The cell state c is not multiplied by any weights; only h feeds the recurrent kernel.")
        raise ExerciseFailed(PARAM_COUNT, f"{where} Write down the shapes of kernel, recurrent_kernel and bias of keras.layers.LSTM.")
    passed(PARAM_COUNT, "4 * units * (features + units + 1): four blocks, each a SimpleRNN-sized layer.")


# ---------------------------------------------------------------- 5.2 one LSTM step


def _lstm_step_reference(x, h, c, kernel, recurrent_kernel, bias):
    """One LSTM step as Keras computes it; gates in Keras's order i, f, c, o (the tests pin this to Keras)."""
    z = x @ kernel + h @ recurrent_kernel + bias
    i, f, g, o = np.split(z, 4, axis=-1)
    c_new = _sigmoid(f) * c + _sigmoid(i) * np.tanh(g)
    return _sigmoid(o) * np.tanh(c_new), c_new


def _lstm_case(seed: int = 5, batch: int = 3, features: int = 2, units: int = 4):
    rng = np.random.default_rng(seed)
    return (
        rng.normal(size=(batch, features)),
        rng.normal(size=(batch, units)) * 0.5,
        rng.normal(size=(batch, units)),
        rng.normal(size=(features, 4 * units)) * 0.7,
        rng.normal(size=(units, 4 * units)) * 0.7,
        rng.normal(size=4 * units) * 0.3,
    )


def _lstm_variants(x, h, c, kernel, recurrent_kernel, bias):
    """Typical mistakes, each with the hint it deserves."""
    units = h.shape[-1]

    def reorder(order):
        blocks = np.split(np.arange(4 * units), 4)
        index = np.concatenate([blocks[k] for k in order])
        return _lstm_step_reference(x, h, c, kernel[:, index], recurrent_kernel[:, index], bias[index])

    z = x @ kernel + h @ recurrent_kernel + bias
    i, f, g, o = np.split(z, 4, axis=-1)
    c_tanh_gate = _sigmoid(f) * c + _sigmoid(i) * _sigmoid(g)
    return [
        (reorder([1, 0, 2, 3]), "the input and forget gates are swapped: Keras orders the four blocks i, f, c, o."),
        (reorder([0, 1, 3, 2]), "the candidate and the output gate are swapped: Keras orders the four blocks i, f, c, o."),
        ((_sigmoid(o) * np.tanh(c_tanh_gate), c_tanh_gate), "the candidate state uses tanh, not sigmoid; only the gates are sigmoids."),
        ((_sigmoid(o) * (_sigmoid(f) * c + _sigmoid(i) * np.tanh(g)), _sigmoid(f) * c + _sigmoid(i) * np.tanh(g)),
         "the new short-term state is o * tanh(c_new): apply tanh to the cell state before the output gate."),
        ((np.tanh(_sigmoid(f) * c + _sigmoid(i) * np.tanh(g)), _sigmoid(f) * c + _sigmoid(i) * np.tanh(g)),
         "the output gate is missing: h_new = o * tanh(c_new)."),
    ]


def check_lstm_step(lstm_step: Callable) -> None:
    """The learner's step must return (h_new, c_new) equal to Keras's within float64 round-off."""
    case = _lstm_case()
    got = attempt(LSTM_STEP, lstm_step, *(a.copy() for a in case))
    if not (isinstance(got, tuple) and len(got) == 2):
        raise ExerciseFailed(LSTM_STEP, "return two arrays: (h_new, c_new).")
    h_new, c_new = (np.asarray(v, dtype=float) for v in got)
    want_h, want_c = _lstm_step_reference(*case)
    if h_new.shape != want_h.shape or c_new.shape != want_c.shape:
        raise ExerciseFailed(LSTM_STEP, f"h_new and c_new should both have shape (batch, units) = {want_h.shape}; got {h_new.shape} and {c_new.shape}.")
    if np.allclose(h_new, want_c) and np.allclose(c_new, want_h):
        raise ExerciseFailed(LSTM_STEP, "you return (c_new, h_new); return the short-term state h first.")
    # "float64 round-off": both tolerances near 1e-10 (np.allclose's default rtol of 1e-5 would accept far more).
    if np.allclose(h_new, want_h, rtol=ROUND_OFF, atol=ROUND_OFF) and np.allclose(c_new, want_c, rtol=ROUND_OFF, atol=ROUND_OFF):
        passed(LSTM_STEP, "your step matches Keras's LSTM to float64 round-off, gates in the order i, f, c, o.")
        return
    for (vh, vc), hint in _lstm_variants(*case):
        if np.allclose(h_new, vh) and np.allclose(c_new, vc):
            raise ExerciseFailed(LSTM_STEP, hint)
    if np.allclose(c_new, want_c):
        raise ExerciseFailed(LSTM_STEP, "c_new is right but h_new is not: h_new = o * tanh(c_new).")
    raise ExerciseFailed(LSTM_STEP, "split z = x @ kernel + h @ recurrent_kernel + bias into four blocks of `units` columns and check each gate's activation.")


# ---------------------------------------------------------------- 5.3 naive multi-step forecast


def check_naive_forecast(naive_forecast: Callable) -> None:
    """Naive 10-step forecast: the last observed value, repeated horizon times."""
    rng = np.random.default_rng(7)
    X = rng.normal(size=(5, 8, 1)).cumsum(axis=1)
    got = attempt(NAIVE, naive_forecast, X.copy(), 3)
    got = np.asarray(got, dtype=float)
    want = np.repeat(X[:, -1, :], 3, axis=1)
    if got.shape != want.shape:
        raise ExerciseFailed(NAIVE, f"your forecast has shape {got.shape}; expected (samples, horizon) = {want.shape}, one row per window.")
    if np.allclose(got, np.repeat(X[:, 0, :], 3, axis=1)):
        raise ExerciseFailed(NAIVE, "you repeat the first value of each window; the naive forecast repeats the most recent one.")
    if np.allclose(got, np.repeat(X.mean(axis=1), 3, axis=1)):
        raise ExerciseFailed(NAIVE, "you repeat the window's mean; the naive forecast repeats its last value.")
    if np.allclose(got, X[:, -3:, 0]):
        raise ExerciseFailed(NAIVE, "you return the last `horizon` observed values; the naive forecast repeats only the very last one.")
    if not np.allclose(got, want):
        raise ExerciseFailed(NAIVE, "print X[0, :, 0] and your forecast[0]: every forecast value should equal the window's last value.")
    passed(NAIVE, "the last value repeated over the horizon: the bar every model of chapters 5-7 must clear.")
