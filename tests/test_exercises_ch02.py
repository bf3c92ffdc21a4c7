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
pad_and_mask = notebook_function("02", "pad_and_mask")

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


def padded_with(series_list, pad_value, left=False, dtype=float):
    """A batch padded with ``pad_value``, on the right (or, wrongly, on the left), in ``dtype``."""
    longest = max(len(s) for s in series_list)
    padded = np.full((len(series_list), longest, 1), pad_value, dtype=dtype)
    for row, s in zip(padded, series_list):
        if left:
            row[longest - len(s):, 0] = s
        else:
            row[:len(s), 0] = s
    return padded, pad_value


def right_pad_value(series_list):
    return pad_and_mask(series_list)[1]


def pad_below_the_first_series(series_list):
    return padded_with(series_list, float(np.min(series_list[0])) - 1)


def pad_inside_the_range(series_list):
    values = np.concatenate(series_list)
    between = np.setdiff1d(np.linspace(values.min(), values.max(), 7)[1:-1], values)
    return padded_with(series_list, float(between[0]))


def truncated_to_the_shortest(series_list):
    shortest = min(len(s) for s in series_list)
    return np.stack([s[:shortest] for s in series_list])[..., np.newaxis], right_pad_value(series_list)


def padding_not_filled(series_list):
    padded, pad_value = pad_and_mask(series_list)
    return np.where(padded == pad_value, 0.0, padded), pad_value


def sorted_by_length(series_list):
    return pad_and_mask(sorted(series_list, key=len))


@pytest.mark.parametrize(
    "answer, hint",
    [
        pytest.param(lambda sl: padded_with(sl, 0.0), "you pad with 0, but these series contain 0", id="pad 0"),
        pytest.param(lambda sl: padded_with(sl, -1.0), "-1 occurs in these series", id="pad -1"),
        pytest.param(lambda sl: padded_with(sl, right_pad_value(sl), left=True), "left padding", id="left padding"),
        pytest.param(lambda sl: (pad_and_mask(sl)[0][..., 0], right_pad_value(sl)), "add the feature axis",
                     id="no feature axis"),
        pytest.param(truncated_to_the_shortest, "length of the shortest series", id="truncated"),
        pytest.param(pad_inside_the_range, "between the smallest and the largest", id="pad inside the range"),
        pytest.param(pad_below_the_first_series, "between the smallest and the largest", id="first series only"),
        pytest.param(lambda sl: padded_with(sl, right_pad_value(sl), dtype=int), "integer dtype", id="integer dtype"),
        pytest.param(lambda sl: padded_with(sl, right_pad_value(sl), dtype=np.float16), "float32 or float64",
                     id="float16"),
        pytest.param(lambda sl: padded_with(sl, np.nan), "NaN never equals itself", id="NaN pad"),
        pytest.param(lambda sl: padded_with(sl, -np.inf), "an infinity times 0 is NaN", id="infinite pad"),
        pytest.param(padding_not_filled, "keeps padded steps", id="padding not filled"),
        pytest.param(sorted_by_length, "keep the series in the order of the list", id="sorted by length"),
        pytest.param(lambda sl: pad_and_mask([s[::-1] for s in sl]), "reversed", id="reversed series"),
        pytest.param(lambda sl: padded_with(sl, float(np.min(np.concatenate(sl))) - 1e-9), "float32",
                     id="pad value equal in float32"),
        pytest.param(lambda sl: list(pad_and_mask(sl)), "return a pair", id="list"),
        pytest.param(lambda sl: (pad_and_mask(sl)[0].tolist(), right_pad_value(sl)), "NumPy array", id="nested list"),
        pytest.param(lambda sl: (AlwaysEqual(), right_pad_value(sl)), "NumPy array", id="always equal"),
        pytest.param(lambda sl: (pad_and_mask(sl)[0], AlwaysEqual()), "one real number", id="always equal pad"),
    ],
)
def test_pad_and_mask_wrong(answer, hint):
    answer, calls = recorded(answer)
    message = refusal(ch02.check_pad_and_mask, answer)
    assert re.search(hint, message), message
    (series_list,) = calls[-1]
    assert f"lengths {[len(s) for s in series_list]}" in message
    assert not number_in(f"{right_pad_value(series_list):g}", message)   # never the right pad value


def test_pad_and_mask_right_answer_passes_every_draw(capsys):
    for _ in range(REPEATS):
        ch02.check_pad_and_mask(pad_and_mask)
        assert "✓ Exercise 2.3 passed" in capsys.readouterr().out


def test_pad_and_mask_accepts_float32_and_a_pad_value_above_the_data(capsys):
    ch02.check_pad_and_mask(lambda sl: padded_with(sl, right_pad_value(sl), dtype=np.float32))
    ch02.check_pad_and_mask(lambda sl: padded_with(sl, float(np.max(np.concatenate(sl))) + 1))
    assert capsys.readouterr().out.count("✓ Exercise 2.3 passed") == 2


def test_pad_and_mask_stub_is_not_attempted():
    def stub(series_list):
        raise NotImplementedError()

    with pytest.raises(ExerciseNotAttempted):
        ch02.check_pad_and_mask(stub)


def test_pad_and_mask_fixed_cases_defeat_the_shortcuts():
    cases = [[np.array(s) for s in case] for case in ch02._PAD_CASES]
    values = [np.concatenate(case) for case in cases]
    assert any((v == 0).any() and v.min() >= 0 for v in values)     # padding with 0 fails on counts
    assert any((v == -1).any() for v in values)                        # padding with -1 fails
    assert any(case[0].min() > v.min() for case, v in zip(cases, values))   # the first series is not enough
    assert any(len(case) == 1 for case in cases)                       # a single series
    assert any(len({len(s) for s in case}) == 1 and len(case) > 1 for case in cases)   # nothing to pad
    assert any([len(s) for s in case] != sorted(len(s) for s in case) for case in cases)   # lengths not sorted


def test_pad_and_mask_oracle_is_keras():
    import keras

    padded, pad_value = pad_and_mask([np.array([0.0, 2.0]), np.array([1.0, 0.0, -3.0])])
    mask = np.asarray(keras.layers.Masking(mask_value=pad_value).compute_mask(padded))
    np.testing.assert_array_equal(mask, [[True, True, False], [True, True, True]])
    np.testing.assert_array_equal(ch02._keras_mask(padded, pad_value), mask)
    np.testing.assert_array_equal(ch02._keras_mask(padded, 0.0), [[False, True, True], [True, False, True]])  # real 0s


# ------------------------------------------------------------------ what crosses to the learner

CHECKED = [(ch02.check_rnn_output_shape, rnn_output_shape), (ch02.check_make_windows, make_windows),
           (ch02.check_pad_and_mask, pad_and_mask)]


# ------------------------------------------------------------------ no answer key in sight


