"""Checks for the exercises of chapter 2 (the sequence tensor format)."""

from __future__ import annotations

from typing import Callable

import numpy as np

from ._core import ExerciseFailed, attempt, passed

OUTPUT_SHAPE = "Exercise 2.1"
WINDOWS = "Exercise 2.2"
GRU_PARAMS = "Exercise 2.3"


def check_rnn_output_shape(rnn_output_shape: Callable) -> None:
    """Compare the learner's predicted recurrent-layer output shapes with Keras's rules."""
    cases = [((None, 20, 1), 5, True), ((32, 12, 3), 8, False), ((None, None, 2), 4, True), ((None, 7, 7), 3, False)]
    for input_shape, units, return_sequences in cases:
        got = attempt(OUTPUT_SHAPE, rnn_output_shape, input_shape, units, return_sequences)
        batch, steps, features = input_shape
        want = (batch, steps, units) if return_sequences else (batch, units)
        call = f"rnn_output_shape({input_shape}, units={units}, return_sequences={return_sequences})"
        if isinstance(got, list):
            raise ExerciseFailed(OUTPUT_SHAPE, f"{call} returned a list; return a tuple, like Keras shapes.")
        if got == want:
            continue
        if got in ((batch, steps, features), (batch, features)):
            hint = "the last axis is the number of units (the size of the state), not the number of features."
        elif return_sequences and got == (batch, units):
            hint = "with return_sequences=True the layer returns its state at every time step, so the time axis stays."
        elif not return_sequences and got == (batch, steps, units):
            hint = "with return_sequences=False only the last state comes out: the time axis disappears."
        elif isinstance(got, tuple) and got == want[1:]:
            hint = "keep the batch axis first (None, or the fixed batch size)."
        else:
            hint = "write the shape as (batch, time steps, units) or (batch, units) from the input's axes."
        raise ExerciseFailed(OUTPUT_SHAPE, f"{call} returned {got!r}, but Keras gives {want}: {hint}")
    passed(OUTPUT_SHAPE, "batch axis kept, last axis = units, time axis only with return_sequences=True.")


def check_make_windows(make_windows: Callable) -> None:
    """Compare the learner's sliding windows with the reference on a series whose values are their own index."""
    series = np.arange(30, dtype=float)
    window, horizon = 6, 3
    got = attempt(WINDOWS, make_windows, series.copy(), window, horizon)
    if not (isinstance(got, tuple) and len(got) == 2):
        raise ExerciseFailed(WINDOWS, f"return a pair (X, y), got {type(got).__name__}.")
    X, y = (np.asarray(a) for a in got)
    n = len(series) - window - horizon + 1
    if X.ndim == 2 and X.shape == (n, window):
        raise ExerciseFailed(WINDOWS, f"X has shape {X.shape}: add the feature axis so it is (samples, time steps, features) = ({n}, {window}, 1).")
    if X.ndim != 3 or X.shape[1:] != (window, 1):
        raise ExerciseFailed(WINDOWS, f"X has shape {X.shape} but ({n}, {window}, 1) = (samples, window, 1) was expected.")
    if X.shape[0] != n:
        raise ExerciseFailed(
            WINDOWS,
            f"you made {X.shape[0]} windows but a series of {len(series)} values has {n}: "
            "the last window must end `horizon` steps before the end (len - window - horizon + 1 windows).",
        )
    if y.shape != (n, horizon):
        raise ExerciseFailed(WINDOWS, f"y has shape {y.shape} but ({n}, {horizon}) = (samples, horizon) was expected.")
    if not np.array_equal(X[:, :, 0], np.arange(n)[:, None] + np.arange(window)):
        raise ExerciseFailed(WINDOWS, "window i must hold values i, i+1, ..., i+window-1; print X[:3, :, 0] on this series of 0, 1, 2, ...")
    if np.array_equal(y, np.arange(n)[:, None] + window - 1 + np.arange(horizon)):
        raise ExerciseFailed(WINDOWS, "the targets start at the window's last value: they must start right after it.")
    if not np.array_equal(y, np.arange(n)[:, None] + window + np.arange(horizon)):
        raise ExerciseFailed(WINDOWS, "the targets of window i must be values i+window, ..., i+window+horizon-1; print y[:3].")
    passed(WINDOWS, f"{n} windows of {window} steps, each followed by its {horizon} targets.")


def check_gru_param_count(gru_param_count: Callable) -> None:
    """Compare the learner's GRU parameter count with Keras's, with and without reset_after."""
    for features, units, reset_after in [(2, 4, True), (3, 5, False), (1, 1, True), (8, 16, False), (8, 16, True)]:
        got = attempt(GRU_PARAMS, gru_param_count, features, units, reset_after)
        want = 3 * units * (features + units + 1) + (3 * units if reset_after else 0)
        if got == want:
            continue
        where = f"for features={features}, units={units}, reset_after={reset_after} you return {got!r}; Keras counts {want}."
        base = 3 * units * (features + units + 1)
        if got == 4 * units * (features + units + 1):
            hint = "that is an LSTM's count: a GRU has three blocks of weights (update gate, reset gate, candidate), not four."
        elif reset_after and got == base:
            hint = "with reset_after=True Keras keeps a second bias vector (3 * units more), for the recurrent part."
        elif not reset_after and got == base + 3 * units:
            hint = "with reset_after=False there is a single bias vector."
        elif got in (3 * units * (features + units), units * (features + units + 1)):
            hint = "count the three blocks and their biases: 3 * units * (features + units + 1) before any second bias."
        else:
            hint = "build keras.layers.GRU(units, reset_after=...) and print the shapes of its weights."
        raise ExerciseFailed(GRU_PARAMS, f"{where} {hint}")
    passed(GRU_PARAMS, "3 * units * (features + units + 1), plus 3 * units for the second bias when reset_after=True.")
