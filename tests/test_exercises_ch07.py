"""Chapter 7 checks: correct answers pass, typical mistakes get their hint, the stub is named; the reference is Keras's."""

from __future__ import annotations

import numpy as np
import pytest

from course_utils.exercises import ExerciseFailed, ExerciseNotAttempted, ch07


def stub(*args, **kwargs):
    raise NotImplementedError()


def output_length(length, kernel_size, strides, padding, dilation_rate):
    if padding in ("same", "causal"):
        return -(-length // strides)
    return (length - dilation_rate * (kernel_size - 1) - 1) // strides + 1


def causal_conv(x, kernel, dilation):
    k = len(kernel)
    padded = np.concatenate([np.zeros(dilation * (k - 1)), x])
    return np.array([sum(kernel[j] * padded[t + j * dilation] for j in range(k)) for t in range(len(x))])


def same_conv(x, kernel, dilation):
    k = len(kernel)
    pad = dilation * (k - 1)
    padded = np.concatenate([np.zeros(pad // 2), x, np.zeros(pad - pad // 2)])
    return np.array([sum(kernel[j] * padded[t + j * dilation] for j in range(k)) for t in range(len(x))])


@pytest.mark.parametrize("dilation", [1, 2, 3])
def test_reference_causal_conv_is_keras(dilation):
    import keras

    rng = np.random.default_rng(dilation)
    x, kernel = rng.normal(size=15), rng.normal(size=3)
    layer = keras.layers.Conv1D(1, 3, padding="causal", dilation_rate=dilation, use_bias=False, dtype="float64")
    layer.build((None, 15, 1))
    layer.set_weights([kernel.reshape(3, 1, 1)])
    np.testing.assert_allclose(ch07._causal_conv_reference(x, kernel, dilation),
                               layer(x.reshape(1, 15, 1)).numpy().ravel(), atol=1e-12)


def test_reference_length_is_keras():
    import keras

    for length, kernel, strides, padding, dilation in [(50, 4, 2, "valid", 1), (50, 2, 1, "valid", 4),
                                                       (50, 5, 3, "same", 1), (7, 2, 3, "same", 1), (10, 3, 1, "valid", 3)]:
        layer = keras.layers.Conv1D(1, kernel, strides=strides, padding=padding, dilation_rate=dilation)
        got = layer(np.zeros((1, length, 1), dtype="float32")).shape[1]
        assert ch07._reference_length(length, kernel, strides, padding, dilation) == got


@pytest.mark.parametrize(
    "check, answer",
    [
        (ch07.check_output_length, output_length),
        (ch07.check_receptive_field, lambda k, ds: 1 + sum((k - 1) * d for d in ds)),
        (ch07.check_causal_conv, causal_conv),
    ],
)
def test_correct_answers_pass(capsys, check, answer):
    check(answer)
    assert "passed" in capsys.readouterr().out


@pytest.mark.parametrize("check", [ch07.check_output_length, ch07.check_receptive_field, ch07.check_causal_conv])
def test_stub_is_named(check):
    with pytest.raises(ExerciseNotAttempted, match="not attempted"):
        check(stub)


@pytest.mark.parametrize(
    "check, wrong, hint",
    [
        (ch07.check_output_length, lambda n, k, s, p, d: (n - k) // s + 1 if p == "valid" else -(-n // s), "dilated kernel spans"),
        (ch07.check_output_length, lambda n, k, s, p, d: output_length(n, k, s, "valid", d) if p != "valid" else output_length(n, k, s, p, d), "padded"),
        (ch07.check_receptive_field, lambda k, ds: sum((k - 1) * d for d in ds), "current step"),
        (ch07.check_receptive_field, lambda k, ds: sum(k * d for d in ds), "not kernel_size"),
        (ch07.check_causal_conv, lambda x, k, d: causal_conv(x, k[::-1], d), "flipped"),
        (ch07.check_causal_conv, same_conv, "future"),
        (ch07.check_causal_conv, lambda x, k, d: np.convolve(x, k, mode="valid"), "keeps the length"),
    ],
)
def test_typical_mistakes_get_their_hint(check, wrong, hint):
    with pytest.raises(ExerciseFailed, match=hint):
        check(wrong)
