"""Checks for the exercises of chapter 2 (the sequence tensor format).

Shapes and parameter counts are compared with what Keras itself computes
(imported inside the checks); the windows of exercise 2.2, which Keras does not
compute, with a private reference. Every check tries fixed cases chosen so that
each plausible shortcut fails, and cases drawn afresh on every call.
"""

import functools as _functools

import numpy as _np

from . import _core

OUTPUT_SHAPE = "Exercise 2.1"
WINDOWS = "Exercise 2.2"
GRU_PARAMS = "Exercise 2.3"

_LAYERS = ("SimpleRNN", "LSTM", "GRU")
# (input_shape, units, return_sequences, layer): every axis a different size, None batch and time,
# a fixed batch size, and both values of return_sequences.
_SHAPE_CASES = [
    ((None, 20, 1), 5, True, "SimpleRNN"),
    ((32, 12, 3), 8, False, "LSTM"),
    ((None, None, 2), 4, True, "GRU"),
    ((16, None, 7), 3, False, "SimpleRNN"),
    ((6, 9, 2), 11, True, "LSTM"),
]
# (length, window, horizon): several horizons (1 among them), windows longer and shorter than horizons.
_WINDOW_CASES = [(30, 6, 3), (17, 4, 1), (25, 3, 5), (40, 9, 2)]
# (features, units, reset_after); None: called without reset_after, Keras's default applies.
_GRU_CASES = [(2, 4, True), (3, 5, False), (7, 3, True), (1, 9, False), (5, 2, None)]


# ---------------------------------------------------------------- 2.1 output shapes


def _keras_output_shape(layer: str, input_shape: tuple, units: int, return_sequences: bool) -> tuple:
    import keras

    shape = getattr(keras.layers, layer)(units, return_sequences=return_sequences).compute_output_shape(input_shape)
    return tuple(None if s is None else int(s) for s in shape)


def _random_shape_case(rng: _np.random.Generator) -> tuple:
    while True:
        batch = None if rng.random() < 0.5 else int(rng.integers(2, 65))
        steps = None if rng.random() < 0.3 else int(rng.integers(2, 51))
        features, units = (int(v) for v in rng.integers(1, 33, size=2))
        sizes = [s for s in (batch, steps, features, units) if s is not None]
        if len(set(sizes)) == len(sizes):
            return (batch, steps, features), units, bool(rng.random() < 0.5), _LAYERS[int(rng.integers(3))]


def _as_shape(got) -> tuple | None:
    """The learner's shape as a tuple of ints and Nones, or None when it is not a tuple of those."""
    if type(got) is not tuple:
        return None
    shape = []
    for entry in got:
        if entry is None:
            shape.append(None)
        else:
            shape.append(_core.whole_number(OUTPUT_SHAPE, entry, "each entry of the shape (or None)"))
    return tuple(shape)


def check_rnn_output_shape(rnn_output_shape: "Callable") -> None:
    """Compare the learner's predicted recurrent-layer output shapes with Keras's compute_output_shape."""
    for input_shape, units, return_sequences, layer in [*_SHAPE_CASES, _random_shape_case(_core.fresh_rng())]:
        call = f"rnn_output_shape({input_shape}, units={units}, return_sequences={return_sequences})"
        got = _core.attempt_in(OUTPUT_SHAPE, call, rnn_output_shape, input_shape, units, return_sequences)
        if type(got) is list:
            raise _core.ExerciseFailed(OUTPUT_SHAPE, f"{call} returned a list; return a tuple, like Keras shapes.")
        shape = _as_shape(got)
        if shape is None:
            raise _core.ExerciseFailed(
                OUTPUT_SHAPE, f"{call} returned {type(got).__name__} {got!r}; return a tuple, like Keras shapes."
            )
        want = _keras_output_shape(layer, input_shape, units, return_sequences)
        if shape == want:
            continue
        batch, steps, features = input_shape
        if shape in ((batch, steps, features), (batch, features)):
            hint = "the last axis is the number of units (the size of the state), not the number of features."
        elif return_sequences and shape == (batch, units):
            hint = "with return_sequences=True the layer returns its state at every time step, so the time axis stays."
        elif not return_sequences and shape == (batch, steps, units):
            hint = "with return_sequences=False only the last state comes out: the time axis disappears."
        elif shape == want[1:]:
            hint = "keep the batch axis first (None, or the fixed batch size)."
        elif return_sequences and shape == (batch, units, steps):
            hint = "the axes are (batch, time steps, units), in that order."
        elif len(shape) == len(want) and shape[0] != batch:
            hint = "the batch axis is the input's, unchanged: None stays None and a fixed batch size stays."
        elif len(shape) == len(want) and return_sequences and shape[1] != steps:
            hint = "the time axis is the input's number of steps, unchanged (None stays None)."
        else:
            hint = "list the input's axes and decide, for each, whether the layer keeps it, drops it or replaces it."
        raise _core.ExerciseFailed(
            OUTPUT_SHAPE, f"{call} returned {shape!r}, which is not what keras.layers.{layer} gives: {hint}"
        )
    _core.passed(OUTPUT_SHAPE, "batch axis kept, last axis = units, time axis only with return_sequences=True.")


# ---------------------------------------------------------------- 2.2 windows


def _distinct_series(rng: _np.random.Generator, length: int) -> _np.ndarray:
    """A noisy, non-monotone series whose values are all different, so each value tells its position."""
    return rng.permutation(length) * 1.5 - 7.0 + rng.uniform(0.0, 0.5, size=length)


def _windows(series: _np.ndarray, window: int, horizon: int) -> tuple[_np.ndarray, _np.ndarray]:
    starts = _np.arange(len(series) - window - horizon + 1)[:, None]
    return series[starts + _np.arange(window)][..., None], series[starts + window + _np.arange(horizon)]


def _random_window_case(rng: _np.random.Generator) -> tuple[int, int, int]:
    while True:
        length, window, horizon = int(rng.integers(20, 61)), int(rng.integers(2, 13)), int(rng.integers(1, 7))
        if window != horizon:
            return length, window, horizon


def check_make_windows(make_windows: "Callable") -> None:
    """Compare the learner's sliding windows and targets with the expected ones, for several window sizes and horizons."""
    rng = _core.fresh_rng()
    for length, window, horizon in [*_WINDOW_CASES, _random_window_case(rng)]:
        series = _distinct_series(rng, length)
        want_X, want_y = _windows(series, window, horizon)
        n = len(want_X)
        where = f"for a series of {length} values, window={window}, horizon={horizon}"
        try_it = f"try make_windows(np.arange({length}.0), {window}, {horizon})"
        got = _core.attempt_in(WINDOWS, where, make_windows, series.copy(), window, horizon)
        if type(got) is not tuple or len(got) != 2:
            raise _core.ExerciseFailed(WINDOWS, f"return a pair (X, y), got {type(got).__name__}.")
        X = _core.real_array(WINDOWS, got[0], f"X {where}")
        y = _core.real_array(WINDOWS, got[1], f"y {where}")
        if X.ndim == 2 and X.shape[1] == window:
            raise _core.ExerciseFailed(
                WINDOWS, f"{where} X has shape {X.shape}: add the feature axis, so it is (samples, time steps, features)."
            )
        if X.ndim != 3 or X.shape[2] != 1:
            raise _core.ExerciseFailed(WINDOWS, f"{where} X has shape {X.shape}, but (samples, window, 1) was expected.")
        if X.shape[1] != window:
            raise _core.ExerciseFailed(
                WINDOWS,
                f"{where} your windows have {X.shape[1]} time steps, not {window}: does your function use its window argument?",
            )
        implied_horizon = length - window + 1 - X.shape[0]
        targets = y.shape[1] if y.ndim == 2 else 1
        if implied_horizon != horizon and (targets == implied_horizon or targets != horizon):
            raise _core.ExerciseFailed(
                WINDOWS,
                f"{where} you made {X.shape[0]} windows with {targets} target(s) each, as if the horizon were "
                f"{implied_horizon}: does your function use its horizon argument?",
            )
        if X.shape[0] != n:
            raise _core.ExerciseFailed(
                WINDOWS,
                f"{where} you made {X.shape[0]} windows: "
                + ("too many: the last window must leave room for its targets after it." if X.shape[0] > n else
                   "too few: use every starting point, up to the last window whose targets still fit in the series."),
            )
        if y.shape == (n,) and horizon == 1:
            raise _core.ExerciseFailed(
                WINDOWS, f"{where} y has shape {y.shape}: keep it 2D, (samples, horizon), even for horizon=1."
            )
        if y.shape != (n, horizon):
            if y.shape == (n, horizon, 1):
                hint = "y needs no feature axis: one row of targets per window."
            elif y.ndim == 2 and y.shape[1] != horizon:
                hint = "does your function use its horizon argument?"
            else:
                hint = "one row of `horizon` targets per window."
            raise _core.ExerciseFailed(WINDOWS, f"{where} y has shape {y.shape} but (samples, horizon) was expected: {hint}")
        if not _core.close(X, want_X, _core.ROUND_OFF):
            if _core.close(X, want_X[:, ::-1], _core.ROUND_OFF):
                hint = "each window is in reverse order; keep time order, oldest value first."
            elif not _np.isin(X, series).all():
                hint = "X holds values that are not in the series: a window is a slice of the series itself."
            else:
                hint = f"window i must hold the values i, i+1, ..., i+window-1 of the series; {try_it} and print X[:3, :, 0]."
            raise _core.ExerciseFailed(WINDOWS, f"{where}: {hint}")
        if not _core.close(y, want_y, _core.ROUND_OFF):
            shifted = series[_np.arange(n)[:, None] + window - 1 + _np.arange(horizon)]
            if _core.close(y, shifted, _core.ROUND_OFF):
                hint = "the targets start at the window's last value: they must start right after it."
            elif _core.close(y, want_y[:, ::-1], _core.ROUND_OFF):
                hint = "the targets are in reverse order; keep time order."
            else:
                hint = f"the targets of window i must be the {horizon} value(s) right after it; {try_it} and print y[:3]."
            raise _core.ExerciseFailed(WINDOWS, f"{where}: {hint}")
    _core.passed(WINDOWS, "every window, of every size tried, followed by exactly its `horizon` targets.")


# ---------------------------------------------------------------- 2.3 GRU parameters


@_functools.lru_cache(maxsize=128)
def _keras_gru_count(features: int, units: int, reset_after: bool) -> int:
    import keras

    layer = keras.layers.GRU(units, reset_after=reset_after)
    layer.build((None, None, features))
    return int(layer.count_params())


@_functools.lru_cache(maxsize=1)
def _keras_gru_default_reset_after() -> bool:
    import keras

    return bool(keras.layers.GRU(1).cell.reset_after)


def _random_gru_case(rng: _np.random.Generator) -> tuple[int, int, bool]:
    while True:
        features, units = int(rng.integers(1, 41)), int(rng.integers(2, 65))
        if features != units:
            return features, units, bool(rng.random() < 0.5)


def check_gru_param_count(gru_param_count: "Callable") -> None:
    """Compare the learner's GRU parameter count with Keras's, with and without reset_after, and with the default."""
    rng = _core.fresh_rng()
    for features, units, reset_after in [*_GRU_CASES, *(_random_gru_case(rng) for _ in range(2))]:
        default = reset_after is None
        if default:
            where = f"for gru_param_count({features}, {units}) (reset_after left at its default)"
            got = _core.attempt_in(GRU_PARAMS, where, gru_param_count, features, units)
            reset_after = _keras_gru_default_reset_after()
            layer = f"keras.layers.GRU({units})"
        else:
            where = f"for features={features}, units={units}, reset_after={reset_after}"
            got = _core.attempt_in(GRU_PARAMS, where, gru_param_count, features, units, reset_after)
            layer = f"keras.layers.GRU({units}, reset_after={reset_after})"
        got = _core.whole_number(GRU_PARAMS, got, f"the count {where}")
        want = _keras_gru_count(features, units, reset_after)
        if got == want:
            continue
        single_bias = _keras_gru_count(features, units, False)
        if default and got == _keras_gru_count(features, units, not reset_after):
            hint = f"called without reset_after, your function must follow Keras's default, reset_after={reset_after}."
        elif got == single_bias // 3 * 4:
            hint = "that is an LSTM's count: a GRU has three blocks of weights (update gate, reset gate, candidate), not four."
        elif reset_after and got == single_bias:
            hint = "with reset_after=True Keras keeps a second bias vector, for the recurrent part."
        elif not reset_after and got == _keras_gru_count(features, units, True):
            hint = "with reset_after=False there is a single bias vector."
        elif got in (single_bias - 3 * units, single_bias // 3):
            hint = "count the three blocks and their biases, one bias per unit in each block, before any second bias."
        elif got == _keras_gru_count(units, features, reset_after):
            hint = "features and units play different roles: the function is called as (features, units, reset_after)."
        else:
            hint = "build keras.layers.GRU(units, reset_after=...) and print the shapes of its weights."
        raise _core.ExerciseFailed(GRU_PARAMS, f"{where} you return {got}, which is not what {layer} has: {hint}")
    _core.passed(GRU_PARAMS, "3 * units * (features + units + 1), plus 3 * units for the second bias when reset_after=True.")
