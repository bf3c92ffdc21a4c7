"""Chapter 7 checks: the notebook's answers pass on every draw, each typical mistake gets its own hint; what every check owes (the stub, non-functions) is in test_exercise_checks.py."""

from __future__ import annotations

import math
import re

import numpy as np
import pytest

from course_utils.exercises import ExerciseFailed, ExerciseNotAttempted, ch07
from conftest import AlwaysEqual, notebook_function, refused

output_length = notebook_function("07", "output_length")
receptive_field = notebook_function("07", "receptive_field")
causal_conv = notebook_function("07", "causal_conv")
aligned_targets = notebook_function("07", "aligned_targets")

REPEATS = 4  # each call draws fresh random configurations


# The notebook's reference solutions (book/07_conv1d.ipynb).


@pytest.mark.parametrize(
    "check, answer",
    [
        (ch07.check_output_length, output_length),
        (ch07.check_receptive_field, receptive_field),
        (ch07.check_receptive_field, lambda k, ds: np.int64(receptive_field(k, ds))),
        (ch07.check_causal_conv, causal_conv),
        (ch07.check_aligned_targets, aligned_targets),
    ],
)
def test_correct_answers_pass_on_every_draw(capsys, check, answer):
    for _ in range(REPEATS):
        check(answer)
        assert "passed" in capsys.readouterr().out


# ---------------------------------------------------------------- 7.1


def valid_only(formula):
    """A wrong formula for padding='valid', the right one otherwise."""
    return lambda n, k, s, p, d: formula(n, k, s, d) if p == "valid" else output_length(n, k, s, p, d)


def padded_only(formula):
    """A wrong formula for padding='same' and 'causal', the right one for 'valid'."""
    return lambda n, k, s, p, d: formula(n, k, s, d) if p != "valid" else output_length(n, k, s, p, d)


@pytest.mark.parametrize(
    "wrong, hint",
    [
        (valid_only(lambda n, k, s, d: (n - k) // s + 1), "A dilated kernel spans more than kernel_size steps"),
        (valid_only(lambda n, k, s, d: (n - d * k) // s + 1), "gaps lie between its taps"),
        (valid_only(lambda n, k, s, d: math.ceil((n - d * (k - 1) - 1) / s) + 1), "Round down"),
        (valid_only(lambda n, k, s, d: n - d * (k - 1)), "keep every `strides`-th"),
        (valid_only(lambda n, k, s, d: (n - d * (k - 1) - 1) // s), "Count the first window too"),
        (padded_only(lambda n, k, s, d: n), "the stride still skips some"),
        (padded_only(lambda n, k, s, d: n // s), "Round up"),
        (padded_only(lambda n, k, s, d: output_length(n, k, s, "valid", d)), "no start position is lost"),
        (lambda n, k, s, p, d: output_length(n, k, s, "same" if p == "causal" else p, d) if p != "causal" else (n - d * (k - 1) - 1) // s + 1,
         "With padding='causal' the sequence is padded"),
        (valid_only(lambda n, k, s, d: (n - d * (k - 1) - 1) / s + 1), "got float"),
        (lambda *a: float(output_length(*a)), "rather than /, which gives a float"),
        (lambda *a: AlwaysEqual(), "must be a whole number (int), got AlwaysEqual"),
        (lambda *a: str(output_length(*a)), "must be a whole number (int), got str"),
    ],
)
def test_output_length_mistakes_get_their_hint(wrong, hint):
    message = refused(ch07.check_output_length, wrong, hint)
    assert "length=" in message and "dilation_rate=" in message


# ---------------------------------------------------------------- 7.2


@pytest.mark.parametrize(
    "wrong, hint",
    [
        (lambda k, ds: receptive_field(k, ds) - 1, "Count the current step too"),
        (lambda k, ds: sum(k * d for d in ds), "not kernel_size * dilation"),
        (lambda k, ds: k * math.prod(ds), "they do not multiply"),
        (lambda k, ds: 1 + (k - 1) * max(ds), "not only the most dilated one"),
        (lambda k, ds: 1 + (k - 1) * ds[-1], "not only the last one"),
        (lambda k, ds: 1 + (k - 1) * len(ds), "does not change with the dilation rates"),
        (lambda k, ds: 2 ** len(ds), "does not change with kernel_size"),
        (lambda k, ds: receptive_field(2, ds), "does not change with kernel_size"),
        (lambda k, ds: receptive_field(k, [1, 2, 4]), "does not change with the dilation rates"),
        (lambda k, ds: float(receptive_field(k, ds)), "whole number (int), got float"),
        (lambda k, ds: AlwaysEqual(), "whole number (int), got AlwaysEqual"),
        (lambda k, ds: [receptive_field(k, ds)], "whole number (int), got list"),
    ],
)
def test_receptive_field_mistakes_get_their_hint(wrong, hint):
    message = refused(ch07.check_receptive_field, wrong, hint)
    assert "kernel_size=" in message and "dilation rates" in message


# ---------------------------------------------------------------- 7.3


def same_conv(x, kernel, dilation):
    k = len(kernel)
    pad = dilation * (k - 1)
    padded = np.concatenate([np.zeros(pad // 2), x, np.zeros(pad - pad // 2)])
    return np.array([sum(kernel[j] * padded[t + j * dilation] for j in range(k)) for t in range(len(x))])


def kernel_of_three(x, kernel, dilation):
    k = 3
    padded = np.concatenate([np.zeros(dilation * (k - 1)), x])
    return np.array([sum(kernel[j] * padded[t + j * dilation] for j in range(k)) for t in range(len(x))])


def three_taps(x, kernel, dilation):
    """Three taps written out: crashes for shorter kernels, silently drops the extra taps of longer ones."""
    padded = np.concatenate([np.zeros(2 * dilation), x])
    return np.array([kernel[0] * padded[t] + kernel[1] * padded[t + dilation] + kernel[2] * padded[t + 2 * dilation]
                     for t in range(len(x))])


@pytest.mark.parametrize(
    "wrong, hint",
    [
        (lambda x, k, d: causal_conv(x, k[::-1], d), "your kernel is flipped"),
        (lambda x, k, d: causal_conv(x, k, 1), "ignores the dilation"),
        (same_conv, "looks into the future"),
        (kernel_of_three, "is a size fixed in your code? Take the kernel size and the length from the arrays"),
        (three_taps, "is a size fixed in your code? Take the kernel size and the length from the arrays"),
        (lambda x, k, d: np.convolve(x, k, mode="valid"), "causal padding keeps the length"),
        (lambda x, k, d: causal_conv(x.astype(np.float32), k.astype(np.float32), d).astype(np.float32), "to float64 round-off (1e-10)"),
        (lambda x, k, d: causal_conv(x, k, d) * (1 + 1e-7), "to float64 round-off (1e-10)"),
        (lambda x, k, d: causal_conv(x, k, d).tolist(), "must be a NumPy array, got list"),
        (lambda x, k, d: AlwaysEqual(), "must be a NumPy array, got AlwaysEqual"),
        (lambda x, k, d: causal_conv(x, k, d)[:, None], "causal padding keeps the length"),
    ],
)
def test_causal_conv_mistakes_get_their_hint(wrong, hint):
    message = refused(ch07.check_causal_conv, wrong, hint)
    assert "len(x)=" in message and "dilation=" in message


# ---------------------------------------------------------------- the module




# ---------------------------------------------------------------- 7.4: targets for a convolution's outputs


def _valid_only(wrong):
    """A wrong cut for padding='valid', the right one for 'causal'."""
    return lambda Y, k, s, p, d: wrong(Y, k, s, d) if p == "valid" else aligned_targets(Y, k, s, p, d)


@pytest.mark.parametrize(
    "wrong, hint",
    [
        (_valid_only(lambda Y, k, s, d: Y[:, ::s][:, :aligned_targets(Y, k, s, "valid", d).shape[1]]),
         "its target is that of the window's last step"),
        (_valid_only(lambda Y, k, s, d: Y[:, k - 1::s][:, :aligned_targets(Y, k, s, "valid", d).shape[1]]),
         "a dilated window spans more than kernel_size steps"),
        (lambda Y, k, s, p, d: Y[:, d * (k - 1)::s], "with padding='causal' the zeros go before the input"),
        (_valid_only(lambda Y, k, s, d: Y[:, d * (k - 1) + 1::s]), "one step late"),
        (_valid_only(lambda Y, k, s, d: Y[:, d * (k - 1) - 1::s][:, :aligned_targets(Y, k, s, "valid", d).shape[1]]),
         "one step early"),
        (lambda Y, k, s, p, d: Y[:, (d * (k - 1) if p == "valid" else 0):], "keep every `strides`-th step"),
        (lambda Y, k, s, p, d: Y[:, 3::2], "It was right for Y of shape"),
        (lambda Y, k, s, p, d: aligned_targets(Y, k, s, p, d).transpose(0, 2, 1), "you return shape"),
        (lambda Y, k, s, p, d: aligned_targets(Y, k, s, p, d)[:, ::-1], "Row 0 should be the target of input step"),
        (lambda Y, k, s, p, d: aligned_targets(Y, k, s, p, d).tolist(), "must be a NumPy array, got list"),
        (lambda Y, k, s, p, d: AlwaysEqual(), "AlwaysEqual"),
        (lambda Y, k, s, p, d: aligned_targets(Y, k, s, p, d).astype(np.float32) + 1e-3, "Row"),
    ],
)
def test_aligned_targets_mistakes_get_their_hint(wrong, hint):
    refused(ch07.check_aligned_targets, wrong, hint)


def test_aligned_targets_stub_is_not_attempted():
    def stub(Y, kernel_size, strides, padding, dilation_rate):
        raise NotImplementedError()
    with pytest.raises(ExerciseNotAttempted):
        ch07.check_aligned_targets(stub)


def test_aligned_targets_the_chapters_cut_only_fails_elsewhere():
    """Y[:, 3::2] is right for the chapter's convolution (kernel 4, stride 2, valid), wrong for the others."""
    message = refused(ch07.check_aligned_targets, lambda Y, k, s, p, d: Y[:, 3::2], "It was right")
    assert "kernel_size=4, strides=2" in message
