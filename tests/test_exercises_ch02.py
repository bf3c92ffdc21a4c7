"""Chapter 2 checks: correct answers pass, typical mistakes get their hint, the stub is named."""

from __future__ import annotations

import numpy as np
import pytest
from numpy.lib.stride_tricks import sliding_window_view

from course_utils.exercises import ExerciseFailed, ExerciseNotAttempted, ch02


def stub(*args, **kwargs):
    raise NotImplementedError()


def output_shape(input_shape, units, return_sequences):
    batch, steps, _ = input_shape
    return (batch, steps, units) if return_sequences else (batch, units)


def windows(series, window, horizon):
    blocks = sliding_window_view(series, window + horizon)
    return blocks[:, :window, None], blocks[:, window:]


def gru(features, units, reset_after=True):
    return 3 * units * (features + units + 1) + (3 * units if reset_after else 0)


@pytest.mark.parametrize(
    "check, answer",
    [(ch02.check_rnn_output_shape, output_shape), (ch02.check_make_windows, windows),
     (ch02.check_gru_param_count, gru)],
)
def test_correct_answers_pass(capsys, check, answer):
    check(answer)
    assert "passed" in capsys.readouterr().out


@pytest.mark.parametrize("check", [ch02.check_rnn_output_shape, ch02.check_make_windows, ch02.check_gru_param_count])
def test_stub_is_named(check):
    with pytest.raises(ExerciseNotAttempted):
        check(stub)


def test_gru_counts_match_keras():
    import keras

    for features, units, reset_after in [(2, 4, True), (3, 5, False)]:
        layer = keras.layers.GRU(units, reset_after=reset_after)
        layer.build((None, 7, features))
        assert layer.count_params() == gru(features, units, reset_after)


@pytest.mark.parametrize(
    "answer, hint",
    [
        (lambda s, u, r: (s[0], s[1], s[2]) if r else (s[0], s[2]), "number of units"),
        (lambda s, u, r: (s[0], u), "time axis stays"),
        (lambda s, u, r: (s[0], s[1], u), "time axis disappears"),
        (lambda s, u, r: (s[1], u) if r else (u,), "batch axis"),
        (lambda s, u, r: list(output_shape(s, u, r)), "tuple"),
    ],
)
def test_output_shape_mistakes(answer, hint):
    with pytest.raises(ExerciseFailed, match=hint):
        ch02.check_rnn_output_shape(answer)


@pytest.mark.parametrize(
    "answer, hint",
    [
        (lambda s, w, h: (windows(s, w, h)[0][..., 0], windows(s, w, h)[1]), "add the feature axis"),
        (lambda s, w, h: (windows(s, w, h)[0][:-1], windows(s, w, h)[1][:-1]), "the last window"),
        (lambda s, w, h: (windows(s, w, h)[0], sliding_window_view(s, w + h)[:, w - 1:w - 1 + h]),
         "start at the window's last value"),
        (lambda s, w, h: windows(s, w, h)[0], "pair"),
        (lambda s, w, h: (windows(s, w, h)[0], windows(s, w, h)[1][:, :1]), "y has shape"),
    ],
)
def test_window_mistakes(answer, hint):
    with pytest.raises(ExerciseFailed, match=hint):
        ch02.check_make_windows(answer)


@pytest.mark.parametrize(
    "answer, hint",
    [
        (lambda f, u, r=True: 4 * u * (f + u + 1), "LSTM"),
        (lambda f, u, r=True: 3 * u * (f + u + 1), "second bias"),
        (lambda f, u, r=True: 3 * u * (f + u + 1) + 3 * u, "single bias"),
        (lambda f, u, r=True: u * (f + u + 1), "three blocks"),
    ],
)
def test_gru_mistakes(answer, hint):
    with pytest.raises(ExerciseFailed, match=hint):
        ch02.check_gru_param_count(answer)
