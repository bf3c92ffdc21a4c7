"""Checks for the exercises of chapter 2 (the sequence tensor format).

Shapes and masks are compared with what Keras itself computes (imported inside
the checks); the windows of exercise 2.2, which Keras does not compute, with a
private reference. Every check tries fixed cases chosen so that each plausible
shortcut fails, and cases drawn afresh on every call.
"""

import numpy as _np

from . import _core

OUTPUT_SHAPE = "Exercise 2.1"
WINDOWS = "Exercise 2.2"
PAD_AND_MASK = "Exercise 2.3"

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
# Batches of series for 2.3, each defeating a shortcut: zeros in non-negative data (pad 0), negative values and
# -1 itself (pad -1), the smallest value outside the first series, lengths not sorted and the longest in the
# middle, equal lengths (nothing to pad), a single series, and values in the hundreds.
_PAD_CASES = [
    [[0.0, 3.0, 1.5, 0.0, 2.0], [1.0, 0.0, 4.0], [2.5, 0.5, 0.0, 1.0, 3.0, 0.0]],
    [[-1.0, 2.0, -3.0], [1.0, -1.0, 0.0, -4.5, 1.0, 2.0], [0.5, -1.0]],
    [[4.0, -2.0, 0.0, 1.0], [0.0, 0.0, 3.0, -1.0], [2.0, 1.0, -1.0, 0.5]],
    [[5.0, 0.0, -2.0, 7.0, 1.0]],
    [[120.0, 253.8, 0.0], [87.5, 0.0, 14.2, 199.0, 0.0, 61.3, 3.0], [0.0], [33.1, 0.0, 2.0, 150.0]],
]


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


# ---------------------------------------------------------------- 2.3 padding and masking


def _keras_mask(padded: _np.ndarray, pad_value: float) -> _np.ndarray:
    """The steps keras.layers.Masking(pad_value) keeps (True) in the learner's array, as a model sees it (float32)."""
    import keras

    mask = keras.layers.Masking(mask_value=pad_value).compute_mask(padded.astype("float32"))
    return _np.asarray(mask, dtype=bool)


def _random_pad_case(rng: _np.random.Generator) -> list[list[float]]:
    """1 to 5 series of 1 to 15 values on a random scale and offset, rounded, some with a planted 0 or -1."""
    scale = float(rng.choice([1.0, 10.0, 100.0]))
    offset = float(rng.choice([-0.5, 0.0, 1.0, 2.0])) * scale
    batch = []
    for _ in range(int(rng.integers(1, 6))):
        values = _np.round(rng.normal(offset, scale, size=int(rng.integers(1, 16))), 1)
        for planted in (0.0, -1.0):
            if rng.random() < 0.5:
                values[int(rng.integers(len(values)))] = planted
        batch.append(values.tolist())
    return batch


def _same_values(got: _np.ndarray, want: _np.ndarray) -> bool:
    """``got`` holds exactly ``want``, as stored in ``got``'s own float dtype."""
    return got.shape == want.shape and bool(_np.all(got == want.astype(got.dtype)))


def check_pad_and_mask(pad_and_mask: "Callable") -> None:
    """Pad batches of series of different lengths; Keras's Masking, given the learner's pad value, must drop exactly the padding."""
    rng = _core.fresh_rng()
    for case in [*_PAD_CASES, *(_random_pad_case(rng) for _ in range(2))]:
        series = [_np.array(values, dtype=_np.float64) for values in case]
        lengths = _np.array([len(s) for s in series])
        batch, longest, shortest = len(series), int(lengths.max()), int(lengths.min())
        where = f"for {batch} series of lengths {lengths.tolist()}"
        got = _core.attempt_in(PAD_AND_MASK, where, pad_and_mask, [s.copy() for s in series])
        if type(got) is not tuple or len(got) != 2:
            raise _core.ExerciseFailed(
                PAD_AND_MASK, f"{where}: return a pair: the padded array, then the pad value; got {type(got).__name__}.")
        _core.real_array(PAD_AND_MASK, got[0], f"padded {where}")
        raw = _np.asarray(got[0].numpy() if hasattr(got[0], "numpy") else got[0])
        pad = _core.real_number(PAD_AND_MASK, got[1], f"pad_value {where}")
        if raw.dtype.kind in "iu":
            raise _core.ExerciseFailed(
                PAD_AND_MASK, f"{where} padded has the integer dtype {raw.dtype}: a value such as 2.5 loses its "
                "fraction on the way in. Make the padded array a float array.")
        if raw.dtype.itemsize < 4:
            raise _core.ExerciseFailed(
                PAD_AND_MASK, f"{where} padded has the dtype {raw.dtype}, which rounds values such as 253.8: "
                "use float32 or float64.")
        if raw.shape == (batch, longest):
            raise _core.ExerciseFailed(
                PAD_AND_MASK, f"{where} padded has shape {raw.shape}: add the feature axis, so that it is "
                "(samples, time steps, features) as a recurrent layer reads it.")
        if raw.ndim == 3 and raw.shape[0] == batch and raw.shape[1] == shortest < longest:
            raise _core.ExerciseFailed(
                PAD_AND_MASK, f"{where} your rows have {raw.shape[1]} steps, the length of the shortest series: cutting "
                "every series to that length throws real values away. Pad the short series up to the longest instead.")
        if raw.shape != (batch, longest, 1):
            raise _core.ExerciseFailed(
                PAD_AND_MASK, f"{where} padded has shape {raw.shape}, but (number of series, length of the longest "
                "series, 1) was expected.")
        if not _np.isfinite(pad):
            why = ("NaN never equals itself, so Masking cannot find it" if _np.isnan(pad) else
                   "Masking multiplies the steps it masks by 0, and an infinity times 0 is NaN")
            raise _core.ExerciseFailed(PAD_AND_MASK, f"{where} your pad value is {pad}: use a finite number. {why}.")
        values = _np.concatenate(series)
        if values.min() <= pad <= values.max():
            if pad == 0 and _np.any(values == 0):
                hint = ("you pad with 0, but these series contain 0: Masking would drop every real 0 as well, "
                        "silently.")
            elif _np.any(values == pad):
                hint = (f"your pad value {pad:g} occurs in these series: Masking would drop those real steps as "
                        "well, silently.")
            else:
                hint = (f"your pad value {pad:g} lies between the smallest and the largest value of these series; "
                        "the next batch may contain it. Choose one outside every series' values.")
            raise _core.ExerciseFailed(PAD_AND_MASK, f"{where} {hint}")
        rows = raw[..., 0]
        for i, (s, n) in enumerate(zip(series, lengths)):
            if _same_values(rows[i, :n], s):
                continue
            if all(_same_values(row[longest - m:], t) for row, t, m in zip(rows, series, lengths)):
                hint = ("the padding comes first and the values after it (left padding). Put each series first and "
                        "the padding after it (right padding): with a GPU, Keras runs the LSTM and GRU layers of "
                        "chapters 5 and 6 on cuDNN, which accepts only right-padded masks.")
            elif any(_same_values(rows[j, :n], s) for j in range(batch) if j != i):
                hint = f"series {i} is not in row {i}: keep the series in the order of the list."
            elif _same_values(rows[i, :n], s[::-1]):
                hint = f"series {i} is reversed in its row: keep time order, oldest value first."
            else:
                hint = f"the first {n} steps of row {i} must be series {i} itself, value for value."
            raise _core.ExerciseFailed(PAD_AND_MASK, f"{where}: {hint}")
        keras_mask = _keras_mask(raw, pad)
        want = _np.arange(longest) < lengths[:, None]
        if not _np.array_equal(keras_mask, want):
            i = int(_np.flatnonzero((keras_mask != want).any(axis=1))[0])
            if (keras_mask & ~want)[i].any():
                hint = (f"keras.layers.Masking(mask_value=pad_value) keeps padded steps of row {i}: every step after "
                        "the end of a series must hold the pad value you return.")
            else:
                hint = (f"keras.layers.Masking(mask_value=pad_value) drops real steps of row {i}: a Keras model "
                        "computes in float32, where your pad value and a real value are the same number.")
            raise _core.ExerciseFailed(PAD_AND_MASK, f"{where}: {hint}")
    _core.passed(PAD_AND_MASK, "every series whole and in order, padding after it, and Keras's Masking drops exactly "
                 "the padded steps, never a real one.")
