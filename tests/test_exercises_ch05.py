"""Chapter 5 checks: the notebook's answers pass on every draw, each typical mistake gets its own hint; what every check owes (the stub, non-functions) is in test_exercise_checks.py."""

from __future__ import annotations

import re

import numpy as np
import pytest

from course_utils.exercises import ExerciseFailed, ExerciseNotAttempted, ch05
from scipy.special import expit as sigmoid  # as the chapter's exercise setup cell
from conftest import AlwaysEqual, notebook_function, refused

lstm_param_count = notebook_function("05", "lstm_param_count")
lstm_step = notebook_function("05", "lstm_step")
naive_forecast = notebook_function("05", "naive_forecast")

REPEATS = 4  # each call draws fresh random configurations


# The notebook's reference solutions (book/05_lstm.ipynb).


@pytest.mark.parametrize(
    "check, answer",
    [
        (ch05.check_lstm_param_count, lstm_param_count),
        (ch05.check_lstm_param_count, lambda f, u: np.int64(lstm_param_count(f, u))),
        (ch05.check_lstm_step, lstm_step),
        (ch05.check_naive_forecast, naive_forecast),
    ],
)
def test_correct_answers_pass_on_every_draw(capsys, check, answer):
    for _ in range(REPEATS):
        check(answer)
        assert "passed" in capsys.readouterr().out


# ---------------------------------------------------------------- 5.1


@pytest.mark.parametrize(
    "wrong, hint",
    [
        (lambda f, u: u * (f + u + 1), "SimpleRNN"),
        (lambda f, u: 4 * u * (f + u), "biases are missing"),
        (lambda f, u: 3 * u * (f + u + 1), "Count the blocks"),
        (lambda f, u: 3 * u * (f + u + 2), "GRU's count"),
        (lambda f, u: 4 * u * (f + 2 * u + 1), "cell state c is not multiplied"),
        (lambda f, u: lstm_param_count(u, f), "features and units are swapped"),
        (lambda f, u: lstm_param_count(2, u), "does not change with `features`"),
        (lambda f, u: lstm_param_count(f, 20), "does not change with `units`"),
        (lambda f, u: float(lstm_param_count(f, u)), "whole number (int), got float"),
        (lambda f, u: True, "whole number (int), got bool"),
        (lambda f, u: AlwaysEqual(), "whole number (int), got AlwaysEqual"),
        (lambda f, u: str(lstm_param_count(f, u)), "whole number (int), got str"),
    ],
)
def test_param_count_mistakes_get_their_hint(wrong, hint):
    message = refused(ch05.check_lstm_param_count, wrong, hint)
    assert "features=" in message and "units=" in message  # the failing configuration is named


def test_param_count_lookup_table_fails():
    """Right on the fixed sizes only: the fresh random sizes catch it."""
    table = {size: lstm_param_count(*size) for size in [(3, 7), (1, 5), (6, 1), (1, 1), (20, 13), (2, 64)]}
    with pytest.raises(ExerciseFailed):
        for _ in range(3):
            ch05.check_lstm_param_count(lambda f, u: table.get((f, u), 0))


# ---------------------------------------------------------------- 5.2


def reordered(order):
    """A step that reads the blocks of z in another order."""
    def step(x, h, c, kernel, recurrent_kernel, bias):
        blocks = dict(zip(order, np.split(x @ kernel + h @ recurrent_kernel + bias, 4, axis=-1)))
        c_new = sigmoid(blocks["f"]) * c + sigmoid(blocks["i"]) * np.tanh(blocks["g"])
        return sigmoid(blocks["o"]) * np.tanh(c_new), c_new
    return step


def fixed_width(x, h, c, kernel, recurrent_kernel, bias):
    units = 4
    z = x @ kernel + h @ recurrent_kernel + bias
    i, f, g, o = z[:, :units], z[:, units:2 * units], z[:, 2 * units:3 * units], z[:, 3 * units:]
    c_new = sigmoid(f) * c + sigmoid(i) * np.tanh(g)
    return sigmoid(o) * np.tanh(c_new), c_new


def fixed_split(x, h, c, kernel, recurrent_kernel, bias):
    z = x @ kernel + h @ recurrent_kernel + bias
    i, f, g, o = z[:, 0:4], z[:, 4:8], z[:, 8:12], z[:, 12:16]
    c_new = sigmoid(f) * c + sigmoid(i) * np.tanh(g)
    return sigmoid(o) * np.tanh(c_new), c_new


def in_float32(*args):
    h, c = lstm_step(*(a.astype(np.float32) for a in args))
    return h, c


def no_output_gate(x, h, c, kernel, recurrent_kernel, bias):
    i, f, g, o = np.split(x @ kernel + h @ recurrent_kernel + bias, 4, axis=-1)
    c_new = sigmoid(f) * c + sigmoid(i) * np.tanh(g)
    return np.tanh(c_new), c_new


def sigmoid_candidate(x, h, c, kernel, recurrent_kernel, bias):
    i, f, g, o = np.split(x @ kernel + h @ recurrent_kernel + bias, 4, axis=-1)
    c_new = sigmoid(f) * c + sigmoid(i) * sigmoid(g)
    return sigmoid(o) * np.tanh(c_new), c_new


@pytest.mark.parametrize(
    "wrong, hint",
    [
        (reordered("figo"), "as f, i, g, o; Keras orders them i, f, g, o"),
        (reordered("ifog"), "as i, f, o, g; Keras orders them i, f, g, o"),
        (reordered("igfo"), "as i, g, f, o; Keras orders them i, f, g, o"),
        (no_output_gate, "output gate is missing"),
        (sigmoid_candidate, "candidate g uses tanh"),
        (lambda x, h, c, k, r, b: lstm_step(x, h, c, k, r, 0 * b), "bias is missing"),
        (lambda x, h, c, k, r, b: lstm_step(x, h, c, k, 0 * r, b), "recurrent term is missing"),
        (lambda *a: lstm_step(*a)[::-1], "return the short-term state h first"),
        (fixed_width, "is a size fixed in your code"),
        (fixed_split, "is a size fixed in your code"),
        (in_float32, "to float64 round-off (1e-10)"),
        (lambda *a: tuple(v * (1 + 1e-7) for v in lstm_step(*a)), "to float64 round-off (1e-10)"),
        (lambda *a: list(lstm_step(*a)), "return a tuple of two arrays"),
        (lambda *a: lstm_step(*a) + (None,), "return a tuple of two arrays"),
        (lambda *a: AlwaysEqual(), "return a tuple of two arrays"),
        (lambda *a: tuple(v.tolist() for v in lstm_step(*a)), "h_new must be a NumPy array, got list"),
        (lambda *a: (AlwaysEqual(), AlwaysEqual()), "h_new must be a NumPy array, got AlwaysEqual"),
        (lambda *a: (lstm_step(*a)[0][:, :1], lstm_step(*a)[1]), "should both have shape (batch, units)"),
    ],
)
def test_lstm_step_mistakes_get_their_hint(wrong, hint):
    message = refused(ch05.check_lstm_step, wrong, hint)
    assert "batch=" in message and "units=" in message


def test_float32_hint_says_what_is_asked():
    message = refused(ch05.check_lstm_step, in_float32, "float64")
    assert "no float32" in message


# ---------------------------------------------------------------- 5.3


def repeat_of(statistic):
    return lambda X, horizon: np.repeat(statistic(X), horizon, axis=1)


@pytest.mark.parametrize(
    "wrong, hint",
    [
        (repeat_of(lambda X: X.max(axis=1)), "window's maximum"),
        (repeat_of(lambda X: X.min(axis=1)), "window's minimum"),
        (repeat_of(lambda X: X.mean(axis=1)), "window's mean"),
        (repeat_of(lambda X: X[:, 0, :]), "first value"),
        (repeat_of(lambda X: X[:, -2, :]), "second-to-last value"),
        (lambda X, n: X[:, -n:, 0], "last `horizon` observed values"),
        (lambda X, n: naive_forecast(X, 3), "take the number of steps from the `horizon` argument"),
        (lambda X, n: naive_forecast(X, 10), "take the number of steps from the `horizon` argument"),
        (lambda X, n: X[:, -1, 0], "one value per window: repeat it"),
        (lambda X, n: naive_forecast(X, n)[:, :, None], "drop the last (feature) axis"),
        (lambda X, n: naive_forecast(X, n).T, "rows and columns are swapped"),
        (lambda X, n: naive_forecast(X, n).tolist(), "must be a NumPy array, got list"),
        (lambda X, n: AlwaysEqual(), "must be a NumPy array, got AlwaysEqual"),
        (lambda X, n: naive_forecast(X, n).astype(str), "must hold real numbers"),
    ],
)
def test_naive_forecast_mistakes_get_their_hint(wrong, hint):
    message = refused(ch05.check_naive_forecast, wrong, hint)
    assert "horizon=" in message


# ---------------------------------------------------------------- the module


# ---------------------------------------------------------------- 5.4


def every_step_windows(series, n_steps, horizon):
    """The notebook's solution, read when first called (the other tests of this file do not need it)."""
    return notebook_function("05", "every_step_windows")(series, n_steps, horizon)


def with_targets(make_Y):
    """The right X, and Y = make_Y(series, n_steps, horizon, right_Y)."""
    def answer(series, n_steps, horizon):
        X, Y = every_step_windows(series, n_steps, horizon)
        return X, make_Y(series, n_steps, horizon, np.asarray(Y))
    return answer


def windows_of(row_values, n_steps, horizon, start):
    """Y[i, t, k] = row_values[i, t + start + k], indices clipped to the row."""
    index = np.clip(np.arange(n_steps)[:, None] + start + np.arange(horizon)[None, :], 0, row_values.shape[1] - 1)
    return row_values[:, index]


def from_inputs_only(pad):
    """Y built from X alone, the missing values filled with ``pad``: wrong near the end."""
    def make_Y(series, n_steps, horizon, Y):
        inputs = series[:, :n_steps]
        padded = np.concatenate([inputs, np.full((len(series), horizon), pad)], axis=1)
        return windows_of(padded, n_steps, horizon, 1)
    return with_targets(make_Y)


def last_row_zero(series, n_steps, horizon, Y):
    Y = Y.copy()
    Y[:, -1] = 0.0
    return Y


def in_float32_windows(series, n_steps, horizon):
    return tuple(np.asarray(a, dtype=np.float32) for a in every_step_windows(series, n_steps, horizon))


def test_every_step_windows_passes_on_every_draw(capsys):
    for _ in range(REPEATS):
        ch05.check_every_step_windows(every_step_windows)
        assert "Exercise 5.4 passed" in capsys.readouterr().out


@pytest.mark.parametrize(
    "wrong, hint",
    [
        (with_targets(lambda s, n, h, Y: windows_of(s, n, h, 0)), "must not include the current value"),
        (with_targets(lambda s, n, h, Y: windows_of(s, n, h, 2)), "start one step late"),
        (with_targets(lambda s, n, h, Y: Y.transpose(0, 2, 1)), "the axes are (batch, horizon, time); time comes first"),
        (with_targets(lambda s, n, h, Y: s[:, n:]), "one target per series, the last step's only"),
        (with_targets(lambda s, n, h, Y: np.repeat(s[:, None, n:], n, axis=1)), "every step has the last step's target"),
        (with_targets(lambda s, n, h, Y: Y[:, :, ::-1]), "each target runs backwards"),
        (with_targets(lambda s, n, h, Y: Y[:, :, :, None]), "drop the trailing axis"),
        (with_targets(lambda s, n, h, Y: Y.transpose(1, 0, 2)), "batch and time are swapped"),
        (with_targets(lambda s, n, h, Y: windows_of(s[:, 1:-1], n - 1, h, 0)), "one step too few: you are off by one at the end"),
        (with_targets(last_row_zero), "all steps are right but the last: you are off by one at the end"),
        (with_targets(lambda s, n, h, Y: windows_of(s[:, :n], n - h, h, 1)), "Build Y from the whole series, not from X"),
        (from_inputs_only(np.nan), "come from the future part of the series"),
        (from_inputs_only(0.0), "come from the future part of the series"),
        (lambda s, n, h: (s[:, :n], every_step_windows(s, n, h)[1]), "X has no feature axis"),
        (lambda s, n, h: (s[:, :, None], every_step_windows(s, n, h)[1]), "X holds the whole series"),
        (lambda s, n, h: (s[:, 1:n + 1, None], every_step_windows(s, n, h)[1]), "X should hold the first n_steps values"),
        (lambda s, n, h: every_step_windows(s, n, 4), "It was right for series of shape (3, 11), n_steps=7, horizon=4"),
        (lambda s, n, h: list(every_step_windows(s, n, h)), "return a tuple of two arrays, (X, Y)"),
        (lambda s, n, h: AlwaysEqual(), "return a tuple of two arrays, (X, Y)"),
        (lambda s, n, h: (*every_step_windows(s, n, h), None), "return a tuple of two arrays, (X, Y)"),
        (lambda s, n, h: tuple(a.tolist() for a in every_step_windows(s, n, h)), "X must be a NumPy array, got list"),
        (lambda s, n, h: (every_step_windows(s, n, h)[0], AlwaysEqual()), "Y must be a NumPy array, got AlwaysEqual"),
        (lambda s, n, h: tuple(a.astype(str) for a in every_step_windows(s, n, h)), "X must hold real numbers"),
        (in_float32_windows, "to float64 round-off (1e-10)"),
    ],
)
def test_every_step_windows_mistakes_get_their_hint(wrong, hint):
    message = refused(ch05.check_every_step_windows, wrong, hint)
    assert "n_steps=" in message and "horizon=" in message  # the failing configuration is named


def test_every_step_windows_values_only_right_on_readable_series_fail():
    """Targets computed from the inputs' values (x + 1 + k), right only on the readable rows 100 i + j."""
    cheat = lambda s, n, h: (s[:, :n, None], s[:, :n, None] + 1.0 + np.arange(h))  # noqa: E731
    with pytest.raises(ExerciseFailed):
        ch05.check_every_step_windows(cheat)


def test_every_step_windows_stub_is_not_attempted():
    def stub(series, n_steps, horizon):
        raise NotImplementedError()

    with pytest.raises(ExerciseNotAttempted, match="not attempted"):
        ch05.check_every_step_windows(stub)


def test_every_step_windows_does_not_depend_on_the_input_being_untouched():
    """An answer that scribbles on its argument is judged on its result: the check keeps its own copy."""
    def scribbles(series, n_steps, horizon):
        X, Y = every_step_windows(series, n_steps, horizon)
        X, Y = np.array(X), np.array(Y)
        series[:] = -1.0
        return X, Y

    ch05.check_every_step_windows(scribbles)
