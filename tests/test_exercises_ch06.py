"""Chapter 6 checks: correct answers pass, typical mistakes get their hint, the stub is named; the reference is Keras's."""

from __future__ import annotations

import numpy as np
import pytest

from course_utils.exercises import ExerciseFailed, ExerciseNotAttempted, ch06


def stub(*args, **kwargs):
    raise NotImplementedError()


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def gru_after(x, h, kernel, recurrent_kernel, bias, swap=False, drop_recurrent_bias=False):
    u = h.shape[-1]
    xp = x @ kernel + bias[0]
    hp = h @ recurrent_kernel + (0 if drop_recurrent_bias else bias[1])
    z = sigmoid(xp[:, :u] + hp[:, :u])
    r = sigmoid(xp[:, u:2 * u] + hp[:, u:2 * u])
    cand = np.tanh(xp[:, 2 * u:] + r * hp[:, 2 * u:])
    return (1 - z) * h + z * cand if swap else z * h + (1 - z) * cand


def gru_before(x, h, kernel, recurrent_kernel, bias, reset_after_instead=False):
    u = h.shape[-1]
    xp = x @ kernel + bias
    z = sigmoid(xp[:, :u] + h @ recurrent_kernel[:, :u])
    r = sigmoid(xp[:, u:2 * u] + h @ recurrent_kernel[:, u:2 * u])
    rec = r * (h @ recurrent_kernel[:, 2 * u:]) if reset_after_instead else (r * h) @ recurrent_kernel[:, 2 * u:]
    return z * h + (1 - z) * np.tanh(xp[:, 2 * u:] + rec)


@pytest.mark.parametrize("reset_after", [True, False])
def test_reference_step_is_keras(reset_after):
    import keras

    layer = keras.layers.GRU(4, reset_after=reset_after, dtype="float64")
    layer.build((None, None, 2))
    rng = np.random.default_rng(1)
    layer.set_weights([rng.normal(size=w.shape) for w in layer.get_weights()])
    x, h0 = rng.normal(size=(3, 1, 2)), rng.normal(size=(3, 4))
    want = ch06._gru_step_reference(x[:, 0], h0, *layer.get_weights(), reset_after=reset_after)
    np.testing.assert_allclose(want, layer(x, initial_state=[h0]).numpy(), atol=1e-12)


def cudnn_ready(settings):
    fixed = dict(settings, activation="tanh", recurrent_activation="sigmoid", recurrent_dropout=0.0,
                 unroll=False, use_bias=True)
    if "reset_after" in fixed:
        fixed["reset_after"] = True
    return fixed


@pytest.mark.parametrize(
    "check, answer",
    [(ch06.check_gru_step, gru_after), (ch06.check_gru_step_reset_before, gru_before), (ch06.check_cudnn_ready, cudnn_ready)],
)
def test_correct_answers_pass(capsys, check, answer):
    check(answer)
    assert "passed" in capsys.readouterr().out


@pytest.mark.parametrize("check", [ch06.check_gru_step, ch06.check_gru_step_reset_before, ch06.check_cudnn_ready])
def test_stub_is_named(check):
    with pytest.raises(ExerciseNotAttempted, match="not attempted"):
        check(stub)


@pytest.mark.parametrize(
    "check, wrong, hint",
    [
        (ch06.check_gru_step, lambda *a: gru_after(*a, swap=True), "swapped"),
        (ch06.check_gru_step, lambda *a: gru_after(*a, drop_recurrent_bias=True), "recurrent bias"),
        (ch06.check_gru_step_reset_before, lambda *a: gru_before(*a, reset_after_instead=True), "after the matrix product"),
        (ch06.check_cudnn_ready, lambda s: dict(s), "still block cuDNN"),
        (ch06.check_cudnn_ready, lambda s: {**cudnn_ready(s), "dropout": 0.0}, "keep what the modeller chose"),
        (ch06.check_cudnn_ready, lambda s: [s], "return a dict"),
    ],
)
def test_typical_mistakes_get_their_hint(check, wrong, hint):
    with pytest.raises(ExerciseFailed, match=hint):
        check(wrong)


def test_round_off_means_round_off():
    """A step off by a relative 1e-7 is not "float64 round-off" (np.allclose's default rtol would pass it)."""
    with pytest.raises(ExerciseFailed):
        ch06.check_gru_step(lambda *args: ch06._gru_step_reference(*args) * (1 + 1e-7))
