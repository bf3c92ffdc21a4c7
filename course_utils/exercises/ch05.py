"""Checks for the exercises of chapter 5 (LSTM).

Every check runs the learner's function on several configurations: fixed ones
chosen so that each plausible shortcut fails, and random ones drawn afresh on
every call. Keras computes the right answer where it can (the parameter count,
one LSTM step), a private reference elsewhere; only the names ``check_*`` and the exercise ids are public.
"""

import itertools as _itertools

import numpy as _np
from scipy.special import expit as _sigmoid  # the logistic function, as the chapters' setup cells import it

from . import _core

PARAM_COUNT = "Exercise 5.1"
LSTM_STEP = "Exercise 5.2"
NAIVE = "Exercise 5.3"
EVERY_STEP = "Exercise 5.4"


# ---------------------------------------------------------------- 5.1 parameter count


def _keras_lstm_count(features: int, units: int) -> int:
    import keras

    layer = keras.layers.LSTM(units)
    layer.build((None, None, features))
    return int(layer.count_params())


def _count_mistakes(features: int, units: int) -> list[tuple[int, str]]:
    f, u = features, units
    return [
        (u * (f + u + 1), "That is a SimpleRNN's count: an LSTM has four such blocks (three gates and the candidate)."),
        (3 * u * (f + u + 1), "Count the blocks again: input, forget and output gates, plus the candidate g."),
        (3 * u * (f + u + 2), "That is a GRU's count: an LSTM has four blocks, and one bias per block and unit."),
        (4 * u * (f + u), "The biases are missing: each of the four blocks has one per unit."),
        (4 * u * (f + 2 * u + 1), "The cell state c is not multiplied by any weights; only h feeds the recurrent kernel."),
        (4 * f * (u + f + 1), "features and units are swapped: the first argument is the number of input features."),
        (4 * (f + u + 1), "Each of the four blocks has `units` columns: multiply by units."),
    ]


def check_lstm_param_count(lstm_param_count: "Callable[[int, int], int]") -> None:
    """Compare the learner's LSTM parameter count with Keras's count_params(), for several sizes."""
    rng = _core.fresh_rng()
    cases = [(3, 7), (1, 5), (6, 1), (1, 1), (20, 13), (2, 64)]
    while len(cases) < 8:
        features, units = int(rng.integers(1, 40)), int(rng.integers(1, 80))
        if features != units:
            cases.append((features, units))
    for features, units in cases:
        where = f"for features={features}, units={units}"
        got = _core.in_case(PARAM_COUNT, where, _core.attempt, lstm_param_count, features, units)
        got = _core.in_case(PARAM_COUNT, where, _core.whole_number, got, "the parameter count")
        want = _keras_lstm_count(features, units)
        if got == want:
            continue
        message = f"{where} you return {got}, but Keras counts {want}."
        for name, other in (("features", (features + 3, units)), ("units", (features, units + 5))):
            probe = f"for features={other[0]}, units={other[1]}"
            again = _core.in_case(PARAM_COUNT, probe, _core.attempt, lstm_param_count, *other)
            if _core.in_case(PARAM_COUNT, probe, _core.whole_number, again, "the parameter count") == got:
                raise _core.ExerciseFailed(
                    PARAM_COUNT, f"{message} Your count does not change with `{name}`: use the argument, not a fixed number."
                )
        for value, hint in _count_mistakes(features, units):
            if got == value:
                raise _core.ExerciseFailed(PARAM_COUNT, f"{message} {hint}")
        raise _core.ExerciseFailed(
            PARAM_COUNT, f"{message} Write down the shapes of kernel, recurrent_kernel and bias of keras.layers.LSTM."
        )
    _core.passed(PARAM_COUNT, "four blocks (three gates and the candidate), each with the weights of a SimpleRNN of that size.")


# ---------------------------------------------------------------- 5.2 one LSTM step


def _lstm_case(rng: _np.random.Generator, batch: int, features: int, units: int) -> tuple[_np.ndarray, ...]:
    """Inputs, states and weights of one step; the biases are non-zero so a forgotten bias shows."""
    return (
        rng.normal(size=(batch, features)),
        rng.normal(size=(batch, units)) * 0.8,
        rng.normal(size=(batch, units)),
        rng.normal(size=(features, 4 * units)) * 0.7,
        rng.normal(size=(units, 4 * units)) * 0.7,
        rng.normal(size=4 * units) * 0.5,
    )


def _keras_lstm_step(x, h, c):
    """One step of a float64 keras LSTMCell from states (h, c), as a function of the weights."""
    import keras

    cell = keras.layers.LSTMCell(h.shape[-1], dtype="float64")
    cell.build((None, x.shape[-1]))

    def step(kernel, recurrent_kernel, bias):
        cell.set_weights([kernel, recurrent_kernel, bias])
        _, (h_new, c_new) = cell(x, [h, c])
        return _np.asarray(h_new), _np.asarray(c_new)

    return step


def _lstm_mistakes(case, keras_step) -> list[tuple[tuple[_np.ndarray, _np.ndarray], str]]:
    """Typical wrong steps, each with the hint it deserves (computed on demand, only after a failure)."""
    x, h, c, kernel, recurrent_kernel, bias = case
    units = h.shape[-1]
    blocks = _np.split(_np.arange(4 * units), 4)
    mistakes = []
    for order in _itertools.permutations(range(4)):
        if order != (0, 1, 2, 3):
            index = _np.concatenate([blocks[k] for k in order])
            names = "".join("ifgo"[k] for k in order)
            mistakes.append((
                keras_step(kernel[:, index], recurrent_kernel[:, index], bias[index]),
                f"your code reads the four blocks of z as {', '.join(names)}; Keras orders them i, f, g, o "
                "(input gate, forget gate, candidate g, output gate).",
            ))
    mistakes += [
        (keras_step(kernel, recurrent_kernel, 0 * bias), "the bias is missing: z = x @ kernel + h @ recurrent_kernel + bias."),
        (keras_step(kernel, 0 * recurrent_kernel, bias), "the recurrent term is missing: z also has h @ recurrent_kernel."),
    ]
    i, f, g, o = _np.split(x @ kernel + h @ recurrent_kernel + bias, 4, axis=-1)
    c_sigmoid = _sigmoid(f) * c + _sigmoid(i) * _sigmoid(g)
    c_kept = _sigmoid(f) * c + _sigmoid(i) * _np.tanh(g)
    mistakes += [
        ((_sigmoid(o) * _np.tanh(c_sigmoid), c_sigmoid), "the candidate g uses tanh, not sigmoid; only the gates are sigmoids."),
        ((_sigmoid(o) * c_kept, c_kept), "the new short-term state is o * tanh(c_new): apply tanh to the cell state before the output gate."),
        ((_np.tanh(c_kept), c_kept), "the output gate is missing: h_new = o * tanh(c_new)."),
    ]
    return mistakes


def check_lstm_step(lstm_step: "Callable") -> None:
    """The learner's step must return (h_new, c_new) equal to Keras's float64 LSTM within float64 round-off."""
    rng = _core.fresh_rng()
    sizes = _core.step_sizes(rng)
    right_for = None
    for batch, features, units in sizes:
        where = f"for batch={batch}, features={features}, units={units}"
        fixed_size = (
            f" It was right {right_for}: is a size fixed in your code? Take the number of units from the arrays "
            "(h.shape[-1]) and split z into four equal blocks." if right_for else ""
        )
        case = _lstm_case(rng, batch, features, units)
        got = _core.in_case(LSTM_STEP, where, _core.attempt, lstm_step, *(a.copy() for a in case), also=fixed_size)
        if type(got) is not tuple or len(got) != 2:
            raise _core.ExerciseFailed(LSTM_STEP, f"{where}: return a tuple of two arrays, (h_new, c_new).")
        h_new = _core.in_case(LSTM_STEP, where, _core.real_array, got[0], "h_new")
        c_new = _core.in_case(LSTM_STEP, where, _core.real_array, got[1], "c_new")
        if h_new.shape != (batch, units) or c_new.shape != (batch, units):
            raise _core.ExerciseFailed(
                LSTM_STEP, f"{where}: h_new and c_new should both have shape (batch, units) = {(batch, units)}; "
                f"got {h_new.shape} and {c_new.shape}. Take every size from the arrays' shapes, none from a fixed number."
                + (f" It was right {right_for}." if right_for else "")
            )
        keras_step = _keras_lstm_step(*case[:3])
        want_h, want_c = keras_step(*case[3:])
        if _core.close(h_new, want_h) and _core.close(c_new, want_c):
            right_for = right_for or where
            continue
        if _core.close(h_new, want_c, 1e-6) and _core.close(c_new, want_h, 1e-6):
            raise _core.ExerciseFailed(LSTM_STEP, f"{where}: you return (c_new, h_new); return the short-term state h first.")
        _core.refuse_float32(LSTM_STEP, where, [(h_new, want_h), (c_new, want_c)], "Keras's float64 LSTM")
        for (vh, vc), hint in _lstm_mistakes(case, keras_step):
            if _core.close(h_new, vh, 1e-6) and _core.close(c_new, vc, 1e-6):
                raise _core.ExerciseFailed(LSTM_STEP, f"{where}: {hint}{fixed_size}")
        if _core.close(c_new, want_c):
            raise _core.ExerciseFailed(LSTM_STEP, f"{where}: c_new is right but h_new is not: h_new = o * tanh(c_new).")
        raise _core.ExerciseFailed(
            LSTM_STEP, f"{where}: your step differs from Keras's.{fixed_size}" if fixed_size else
            f"{where}: split z = x @ kernel + h @ recurrent_kernel + bias into four blocks of `units` columns "
            "and check each gate's activation."
        )
    _core.passed(LSTM_STEP, "your step matches Keras's float64 LSTM to round-off for every size, blocks in the order i, f, g, o.")


# ---------------------------------------------------------------- 5.3 naive multi-step forecast


def _windows(rng: _np.random.Generator, samples: int, steps: int) -> _np.ndarray:
    """Noisy, non-monotone windows whose last value differs clearly from their first, mean, max, min and second-to-last."""
    X = _np.empty((samples, steps, 1))
    for row in range(samples):
        while True:
            series = rng.normal(size=steps).cumsum() + rng.normal(size=steps)
            last = series[-1]
            strictly_inside = series.min() + 0.1 < last < series.max() - 0.1
            if strictly_inside and min(abs(last - series[0]), abs(last - series.mean()), abs(last - series[-2])) > 0.1:
                X[row, :, 0] = series
                break
    return X


def check_naive_forecast(naive_forecast: "Callable") -> None:
    """Naive multi-step forecast: each window's last value, repeated horizon times."""
    rng = _core.fresh_rng()
    sizes = [(4, 9, 5), (1, 6, 2), (6, 4, 7), (3, 12, 1)]
    while len(sizes) < 6:
        size = (int(rng.integers(1, 9)), int(rng.integers(3, 16)), int(rng.integers(1, 13)))
        if size[0] != size[2]:
            sizes.append(size)
    for samples, steps, horizon in sizes:
        where = f"for X of shape ({samples}, {steps}, 1) and horizon={horizon}"
        X = _windows(rng, samples, steps)
        got = _core.in_case(NAIVE, where, _core.attempt, naive_forecast, X.copy(), horizon)
        got = _core.in_case(NAIVE, where, _core.real_array, got, "your forecast")
        shape = got.shape
        if shape != (samples, horizon):
            if shape == (samples, horizon, 1):
                hint = "drop the last (feature) axis: one row per window, one column per future step."
            elif shape == (horizon, samples):
                hint = "rows and columns are swapped: one row per window, one column per future step."
            elif shape == (samples,) or shape == (samples, 1):
                hint = "that is one value per window: repeat it `horizon` times."
            elif len(shape) == 2 and shape[0] == samples:
                hint = f"that is {shape[1]} columns for horizon={horizon}: take the number of steps from the `horizon` argument."
            else:
                hint = "one row per window (X.shape[0]), one column per future step (horizon)."
            raise _core.ExerciseFailed(NAIVE, f"{where} your forecast has shape {shape}; expected (samples, horizon) = {(samples, horizon)}: {hint}")
        series = X[:, :, 0]
        if _core.close(got, _np.repeat(series[:, -1:], horizon, axis=1)):
            continue
        mistakes = [
            (series[:, :1], "you repeat the first value of each window; the naive forecast repeats the most recent one."),
            (series.mean(axis=1, keepdims=True), "you repeat the window's mean; the naive forecast repeats its last value."),
            (series.max(axis=1, keepdims=True), "you repeat the window's maximum; the naive forecast repeats its last value."),
            (series.min(axis=1, keepdims=True), "you repeat the window's minimum; the naive forecast repeats its last value."),
            (series[:, -2:-1], "you repeat the second-to-last value; X[:, -1] is the most recent one."),
        ]
        for value, hint in mistakes:
            if _core.close(got, _np.repeat(value, horizon, axis=1)):
                raise _core.ExerciseFailed(NAIVE, f"{where}: {hint}")
        if horizon <= steps and _core.close(got, series[:, steps - horizon:]):
            raise _core.ExerciseFailed(NAIVE, f"{where}: you return the last `horizon` observed values; the naive forecast repeats only the very last one.")
        raise _core.ExerciseFailed(NAIVE, f"{where}: print X[0, :, 0] and your forecast[0]: every forecast value should equal the window's last value.")
    _core.passed(NAIVE, "the last value repeated over the horizon: the bar every model of chapters 5-7 must clear.")


# ---------------------------------------------------------------- 5.4 every-step targets for another horizon

#: (batch, n_steps, horizon), every axis a different size: horizon 1, a horizon longer than the input, a batch of one,
#: a long input with a short horizon, and one input step; the chapter's (50, 10) is not among them. (Where
#: n_steps = horizon, Y and its transpose are equal: Y[i, t, k] depends on t + k only. No size here is square.)
_EVERY_STEP_SIZES = [(3, 7, 4), (2, 5, 1), (1, 3, 6), (4, 12, 2), (2, 1, 3)]


def _every_step_reference(series: _np.ndarray, n_steps: int, horizon: int) -> tuple[_np.ndarray, _np.ndarray]:
    steps = _np.arange(n_steps)[:, None] + 1 + _np.arange(horizon)[None, :]  # (n_steps, horizon) indices into a row
    return series[:, :n_steps, None].copy(), series[:, steps]


def _every_step_series(rng: _np.random.Generator, batch: int, length: int, readable: bool) -> _np.ndarray:
    """Readable rows (row i holds 100 i, 100 i + 1, ...: an off-by-one shows in the values) or random float64 ones."""
    if readable:
        return 100.0 * _np.arange(batch)[:, None] + _np.arange(length, dtype=_np.float64)[None, :]
    return rng.normal(size=(batch, length))


def _every_step_sizes(rng: _np.random.Generator) -> list[tuple[int, int, int, bool]]:
    sizes = [(*size, True) for size in _EVERY_STEP_SIZES]
    while len(sizes) < len(_EVERY_STEP_SIZES) + 3:
        batch, n_steps, horizon = (int(rng.integers(1, 6)), int(rng.integers(2, 16)), int(rng.integers(1, 13)))
        if (n_steps, horizon) != (50, 10):
            sizes.append((batch, n_steps, horizon, False))
    return sizes


def _x_hint(X: _np.ndarray, series: _np.ndarray, n_steps: int) -> str:
    batch, length = series.shape
    if X.shape == (batch, n_steps):
        return "X has no feature axis: a recurrent layer wants (batch, n_steps, 1), one feature per step."
    if X.shape in ((batch, length), (batch, length, 1)):
        return "X holds the whole series; the inputs are only the first n_steps values of each row."
    if X.shape != (batch, n_steps, 1):
        return "X should have shape (batch, n_steps, 1): take every size from the arguments, none from a fixed number."
    if not _np.isfinite(X).all():
        return "X holds NaN or inf: the inputs are values of the series, copied as they are."
    return "X should hold the first n_steps values of each series, in order, nothing else."


def _y_shape_hint(shape: tuple, batch: int, n_steps: int, horizon: int) -> str:
    if shape == (batch, horizon, n_steps):
        return "the axes are (batch, horizon, time); time comes first: Y[i, t] is the target of step t, `horizon` values long."
    if shape in ((batch, horizon), (batch, horizon, 1)):
        return "that is one target per series, the last step's only; the exercise asks for a target at every one of the n_steps steps."
    if shape == (batch, n_steps, horizon, 1):
        return "drop the trailing axis: each step's target is a flat row of `horizon` values."
    if shape == (n_steps, batch, horizon):
        return "batch and time are swapped: the first axis is the series, the second the step."
    if len(shape) == 3 and shape[0] == batch and shape[2] == horizon:
        if shape[1] == n_steps - 1:
            return ("one step too few: you are off by one at the end. Every input step, the last one too, has a target; "
                    "the last step's reaches the very end of the series.")
        if shape[1] == n_steps + 1:
            return "one step too many: steps run from 0 to n_steps - 1, one target per input step."
        if shape[1] == n_steps - horizon:
            return ("the last `horizon` steps are missing: their targets reach past the inputs, into the future part of "
                    "the series (its last `horizon` values). Build Y from the whole series, not from X.")
    if len(shape) == 3 and shape[:2] == (batch, n_steps):
        return "each step's target holds `horizon` values: take the horizon from the argument, not from a fixed number."
    return "Y should have shape (batch, n_steps, horizon): take every size from the arguments, none from a fixed number."


def _y_value_hint(Y: _np.ndarray, series: _np.ndarray, n_steps: int, horizon: int, want: _np.ndarray) -> str:
    """The hint for a Y of the right shape but wrong values (``want`` is the reference)."""
    steps = _np.arange(n_steps)[:, None] + _np.arange(horizon)[None, :]  # t + k, (n_steps, horizon)
    inside = _np.broadcast_to((steps + 1 < n_steps)[None], Y.shape)  # targets that lie among the inputs
    right = _np.isclose(Y, want, rtol=_core.ROUND_OFF, atol=_core.ROUND_OFF)
    if _core.close(Y, series[:, steps]):
        return ("your targets start at step t itself: the target of step t is the `horizon` values after it, "
                "so it must not include the current value.")
    if n_steps > 1 and _core.close(Y[:, :-1], want[:, 1:]):
        return "your targets start one step late: the target of step t begins with the value right after step t."
    if horizon > 1 and _core.close(Y, want[:, :, ::-1]):
        return "each target runs backwards: its first value should be the nearest future step, its last the furthest."
    if n_steps > 1 and _core.close(Y, _np.repeat(want[:, -1:], n_steps, axis=1)):
        return ("every step has the last step's target; each step t has its own, the `horizon` values after t "
                "(only the last step's is the usual forecast target).")
    if right[:, :-1].all():
        return ("all steps are right but the last: you are off by one at the end. The last step's target is the "
                "usual forecast target, the `horizon` values right after the inputs.")
    if n_steps > 1 and right[inside].all() and not right[~inside].all():
        return ("Y is right wherever the target lies among the first n_steps values, but wrong where it reaches "
                "past them: those targets come from the future part of the series (its last `horizon` values), "
                "not from X. Build Y from the whole series.")
    if not _np.isfinite(Y).all():
        return "Y holds NaN or inf: every target is a value of the series, copied as it is."
    i, step, j = (int(n) for n in _np.argwhere(~right)[0])
    return (f"Y[{i}, {step}, {j}] is {Y[i, step, j]:.6g}, but the target of step {step}, {j + 1} value(s) ahead, "
            f"is {want[i, step, j]:.6g}. Print series[{i}] next to Y[{i}] and compare.")


def check_every_step_windows(every_step_windows: "Callable") -> None:
    """(X, Y) from whole series: the inputs, and at every step the `horizon` values after it, for several sizes."""
    rng = _core.fresh_rng()
    right_for = None
    for batch, n_steps, horizon, readable in _every_step_sizes(rng):
        where = f"for series of shape ({batch}, {n_steps + horizon}), n_steps={n_steps}, horizon={horizon}"
        fixed_size = f" It was right {right_for}: is a size fixed in your code?" if right_for else ""
        series = _every_step_series(rng, batch, n_steps + horizon, readable)
        want_X, want_Y = _every_step_reference(series, n_steps, horizon)
        got = _core.in_case(EVERY_STEP, where, _core.attempt, every_step_windows, series.copy(), n_steps, horizon,
                            also=fixed_size)
        if type(got) is not tuple or len(got) != 2:
            raise _core.ExerciseFailed(EVERY_STEP, f"{where}: return a tuple of two arrays, (X, Y).")
        X = _core.in_case(EVERY_STEP, where, _core.real_array, got[0], "X")
        Y = _core.in_case(EVERY_STEP, where, _core.real_array, got[1], "Y")
        if X.shape != want_X.shape or not _core.close(X, want_X):
            if X.shape == want_X.shape:
                _core.refuse_float32(EVERY_STEP, where, [(X, want_X)], "the series' own values", "the series")
            raise _core.ExerciseFailed(EVERY_STEP, f"{where}: X has shape {X.shape}; {_x_hint(X, series, n_steps)}{fixed_size}")
        if Y.shape != want_Y.shape:
            raise _core.ExerciseFailed(
                EVERY_STEP, f"{where}: Y has shape {Y.shape}, expected (batch, n_steps, horizon) = {want_Y.shape}: "
                f"{_y_shape_hint(Y.shape, batch, n_steps, horizon)}{fixed_size}"
            )
        if _core.close(Y, want_Y):
            right_for = right_for or where
            continue
        if _np.isfinite(Y).all():
            _core.refuse_float32(EVERY_STEP, where, [(Y, want_Y)], "the series' own values", "the series")
        raise _core.ExerciseFailed(EVERY_STEP, f"{where}: {_y_value_hint(Y, series, n_steps, horizon, want_Y)}{fixed_size}")
    _core.passed(EVERY_STEP, "inputs and targets line up for every length and horizon: a target at each step, "
                             "and the last step's is the usual forecast.")
