"""Chapter 2 checks: the notebook's solutions pass on every draw, each kind of wrong answer is refused with
its own hint (which gives away neither the answer nor the solution's code); what every check owes (the stub, non-functions) is in test_exercise_checks.py."""

from __future__ import annotations

import ast
import inspect
import re
import types

import numpy as np
import pytest

from course_utils.exercises import ExerciseFailed, ExerciseNotAttempted, ch02
from conftest import AlwaysEqual, notebook_function, number_in, recorded, refusal, refused

rnn_output_shape = notebook_function("02", "rnn_output_shape")
make_windows = notebook_function("02", "make_windows")
gru_param_count = notebook_function("02", "gru_param_count")

REPEATS = 5  # each check draws a fresh case per call: run the right answers several times


# ------------------------------------------------------------------ the notebook's reference solutions


# ------------------------------------------------------------------ helpers


# ------------------------------------------------------------------ all three checks


# ------------------------------------------------------------------ 2.1


def _shape_table(input_shape, units, return_sequences):
    """Memorised answers for the check's fixed cases: the freshly drawn case must defeat it."""
    fixed = {(s, u, r): rnn_output_shape(s, u, r) for s, u, r, _ in ch02._SHAPE_CASES}
    return fixed.get((input_shape, units, return_sequences), (0,))


@pytest.mark.parametrize(
    "answer, hint",
    [
        pytest.param(lambda s, u, r: (s[0], s[1], s[2]) if r else (s[0], s[2]), "number of units", id="features"),
        pytest.param(lambda s, u, r: (s[0], u), "time axis stays", id="always last state"),
        pytest.param(lambda s, u, r: (s[0], s[1], u), "time axis disappears", id="always sequences"),
        pytest.param(lambda s, u, r: (s[1], u) if r else (u,), "batch axis first", id="no batch axis"),
        pytest.param(lambda s, u, r: (None, s[1], u) if r else (None, u), "batch axis is the input's", id="batch None"),
        pytest.param(lambda s, u, r: (s[0], None, u) if r else (s[0], u), "time axis is the input's", id="steps None"),
        pytest.param(lambda s, u, r: (s[0], u, s[1]) if r else (s[0], u), "in that order", id="axes swapped"),
        pytest.param(_shape_table, "decide, for each", id="lookup table"),
        pytest.param(lambda s, u, r: list(rnn_output_shape(s, u, r)), "returned a list", id="list"),
        pytest.param(lambda s, u, r: AlwaysEqual(), "return a tuple", id="always equal"),
        pytest.param(lambda s, u, r: tuple(AlwaysEqual() for _ in rnn_output_shape(s, u, r)), "whole number",
                     id="tuple of always equal"),
        pytest.param(lambda s, u, r: tuple(None if v is None else float(v) for v in rnn_output_shape(s, u, r)),
                     "whole number", id="float entries"),
    ],
)
def test_output_shape_wrong(answer, hint):
    answer, calls = recorded(answer)
    message = refusal(ch02.check_rnn_output_shape, answer)
    assert re.search(hint, message), message
    input_shape, units, return_sequences = calls[-1]
    assert str(rnn_output_shape(input_shape, units, return_sequences)) not in message


def test_output_shape_oracle_is_keras():
    import keras

    assert ch02._keras_output_shape("GRU", (None, 7, 3), 4, True) == (None, 7, 4)
    assert ch02._keras_output_shape("LSTM", (8, None, 3), 5, False) == (8, 5)
    assert keras.layers.SimpleRNN(2).compute_output_shape((1, 3, 4)) == (1, 2)


# ------------------------------------------------------------------ 2.2


def windows_ignoring_horizon(series, window, horizon):
    blocks = np.lib.stride_tricks.sliding_window_view(series, window + 1)
    return blocks[:, :window, np.newaxis], blocks[:, window:]


def windows_fixed_horizon(series, window, horizon):
    return make_windows(series, window, 3)


def windows_fixed_window(series, window, horizon):
    return make_windows(series, 6, horizon)


def windows_last_missing(series, window, horizon):
    X, y = make_windows(series, window, horizon)
    return X[:-1], y[:-1]


def windows_from_last_value(series, window, horizon):
    blocks = np.lib.stride_tricks.sliding_window_view(series, window + horizon)
    return blocks[:, :window, np.newaxis], blocks[:, window - 1:window - 1 + horizon]


def windows_flat_y(series, window, horizon):
    X, y = make_windows(series, window, horizon)
    return X, y.squeeze()  # 1D when horizon is 1


@pytest.mark.parametrize(
    "answer, hint",
    [
        pytest.param(windows_ignoring_horizon, "use its horizon argument", id="horizon always 1"),
        pytest.param(windows_fixed_horizon, "use its horizon argument", id="horizon always 3"),
        pytest.param(windows_fixed_window, "use its window argument", id="window always 6"),
        pytest.param(lambda s, w, h: (make_windows(s, w, h)[0][..., 0], make_windows(s, w, h)[1]),
                     "add the feature axis", id="no feature axis"),
        pytest.param(windows_last_missing, "too few", id="last window missing"),
        pytest.param(windows_from_last_value, "start at the window's last value", id="targets too early"),
        pytest.param(lambda s, w, h: (make_windows(s, w, h)[0][:, ::-1], make_windows(s, w, h)[1]),
                     "reverse order", id="reversed windows"),
        pytest.param(lambda s, w, h: (make_windows(s, w, h)[0] * 2, make_windows(s, w, h)[1]),
                     "not in the series", id="scaled windows"),
        pytest.param(lambda s, w, h: (make_windows(s, w, h)[0], make_windows(s, w, h)[1][:, ::-1]),
                     "targets are in reverse order", id="reversed targets"),
        pytest.param(windows_flat_y, "keep it 2D", id="1D y"),
        pytest.param(lambda s, w, h: (make_windows(s, w, h)[0], make_windows(s, w, h)[1][..., None]),
                     "no feature axis", id="3D y"),
        pytest.param(lambda s, w, h: list(make_windows(s, w, h)), "pair", id="list pair"),
        pytest.param(lambda s, w, h: (make_windows(s, w, h)[0].tolist(), make_windows(s, w, h)[1]),
                     "NumPy array", id="list X"),
        pytest.param(lambda s, w, h: (AlwaysEqual(), AlwaysEqual()), "NumPy array", id="always equal"),
        pytest.param(lambda s, w, h: make_windows(s, w, h)[0], "pair", id="X only"),
    ],
)
def test_windows_wrong(answer, hint):
    answer, calls = recorded(answer)
    message = refusal(ch02.check_make_windows, answer)
    assert re.search(hint, message), message
    series, window, horizon = calls[-1]
    assert f"a series of {len(series)} values, window={window}, horizon={horizon}" in message or "pair" in message


def test_windows_hints_never_give_the_count_away():
    answer, calls = recorded(windows_last_missing)
    message = refusal(ch02.check_make_windows, answer)
    series, window, horizon = calls[-1]
    assert not number_in(len(make_windows(series, window, horizon)[0]), message)


def test_windows_series_are_noisy_and_distinct():
    series = ch02._distinct_series(np.random.default_rng(1), 40)
    assert len(np.unique(series)) == 40 and np.any(np.diff(series) < 0) and np.any(np.diff(series) > 0)


# ------------------------------------------------------------------ 2.3


def _gru_table(features, units, reset_after=True):
    """Memorised answers for the check's fixed cases: the freshly drawn cases must defeat it."""
    fixed = {(f, u, True if r is None else r): gru_param_count(f, u, True if r is None else r)
             for f, u, r in ch02._GRU_CASES}
    return fixed.get((features, units, reset_after), 0)


@pytest.mark.parametrize(
    "answer, hint",
    [
        pytest.param(lambda f, u, r=True: 4 * u * (f + u + 1), "LSTM", id="LSTM count"),
        pytest.param(lambda f, u, r=True: 3 * u * (f + u + 1), "second bias", id="ignores reset_after, one bias"),
        pytest.param(lambda f, u, r=True: 3 * u * (f + u + 2), "single bias", id="ignores reset_after, two biases"),
        pytest.param(lambda f, u, r=True: 3 * u * (f + u), "three blocks", id="no biases"),
        pytest.param(lambda f, u, r=True: u * (f + u + 1), "three blocks", id="SimpleRNN count"),
        pytest.param(lambda f, u, r=True: gru_param_count(u, f, r), "different roles", id="swapped"),
        pytest.param(lambda f, u, r=False: gru_param_count(f, u, r), "Keras's default", id="default False"),
        pytest.param(_gru_table, "print the shapes", id="lookup table"),
        pytest.param(lambda f, u, r=True: float(gru_param_count(f, u, r)), "whole number", id="float"),
        pytest.param(lambda f, u, r=True: AlwaysEqual(), "whole number", id="always equal"),
        pytest.param(lambda f, u, r: gru_param_count(f, u, r), "missing 1 required positional argument",
                     id="no default"),
    ],
)
def test_gru_wrong(answer, hint):
    answer, calls = recorded(answer)
    message = refusal(ch02.check_gru_param_count, answer)
    assert re.search(hint, message), message
    features, units, *rest = calls[-1]
    assert not number_in(gru_param_count(features, units, *rest), message)


def test_gru_oracle_is_keras():
    import keras

    for features, units, reset_after in [(2, 4, True), (3, 5, False)]:
        layer = keras.layers.GRU(units, reset_after=reset_after)
        layer.build((None, 7, features))
        assert ch02._keras_gru_count(features, units, reset_after) == layer.count_params()
        assert layer.count_params() == gru_param_count(features, units, reset_after)


# ------------------------------------------------------------------ what crosses to the learner

CHECKED = [(ch02.check_rnn_output_shape, rnn_output_shape), (ch02.check_make_windows, make_windows),
           (ch02.check_gru_param_count, gru_param_count)]


# ------------------------------------------------------------------ no answer key in sight


