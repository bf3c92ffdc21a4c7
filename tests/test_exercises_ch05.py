"""Chapter 5 checks: correct answers pass, typical mistakes get their hint, the stub is named; the reference is Keras's."""

from __future__ import annotations

import numpy as np
import pytest

from course_utils.exercises import ExerciseFailed, ExerciseNotAttempted, ch05


def stub(*args, **kwargs):
    raise NotImplementedError()


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def lstm_step(x, h, c, kernel, recurrent_kernel, bias):
    i, f, g, o = np.split(x @ kernel + h @ recurrent_kernel + bias, 4, axis=-1)
    c_new = sigmoid(f) * c + sigmoid(i) * np.tanh(g)
    return sigmoid(o) * np.tanh(c_new), c_new


def test_reference_step_is_keras():
    import keras

    layer = keras.layers.LSTM(4, return_state=True, dtype="float64")
    rng = np.random.default_rng(0)
    x, h0, c0 = rng.normal(size=(3, 1, 2)), rng.normal(size=(3, 4)), rng.normal(size=(3, 4))
    layer.build((None, None, 2))
    layer.set_weights([w + rng.normal(size=w.shape) for w in layer.get_weights()])
    _, h, c = layer(x, initial_state=[h0, c0])
    want_h, want_c = ch05._lstm_step_reference(x[:, 0], h0, c0, *layer.get_weights())
    np.testing.assert_allclose(want_h, h.numpy(), atol=1e-12)
    np.testing.assert_allclose(want_c, c.numpy(), atol=1e-12)


@pytest.mark.parametrize(
    "check, answer",
    [
        (ch05.check_lstm_param_count, lambda f, u: 4 * u * (f + u + 1)),
        (ch05.check_lstm_step, lstm_step),
        (ch05.check_naive_forecast, lambda X, horizon: np.repeat(X[:, -1, :], horizon, axis=1)),
    ],
)
def test_correct_answers_pass(capsys, check, answer):
    check(answer)
    assert "passed" in capsys.readouterr().out


@pytest.mark.parametrize("check", [ch05.check_lstm_param_count, ch05.check_lstm_step, ch05.check_naive_forecast])
def test_stub_is_named(check):
    with pytest.raises(ExerciseNotAttempted, match="not attempted"):
        check(stub)


def swapped_if(x, h, c, kernel, recurrent_kernel, bias):
    f, i, g, o = np.split(x @ kernel + h @ recurrent_kernel + bias, 4, axis=-1)
    c_new = sigmoid(f) * c + sigmoid(i) * np.tanh(g)
    return sigmoid(o) * np.tanh(c_new), c_new


def no_output_gate(x, h, c, kernel, recurrent_kernel, bias):
    i, f, g, o = np.split(x @ kernel + h @ recurrent_kernel + bias, 4, axis=-1)
    c_new = sigmoid(f) * c + sigmoid(i) * np.tanh(g)
    return np.tanh(c_new), c_new


@pytest.mark.parametrize(
    "check, wrong, hint",
    [
        (ch05.check_lstm_param_count, lambda f, u: u * (f + u + 1), "SimpleRNN"),
        (ch05.check_lstm_param_count, lambda f, u: 4 * u * (f + u), "biases are missing"),
        (ch05.check_lstm_param_count, lambda f, u: 3 * u * (f + u + 1), "Count the blocks"),
        (ch05.check_lstm_step, swapped_if, "input and forget gates are swapped"),
        (ch05.check_lstm_step, no_output_gate, "output gate is missing"),
        (ch05.check_lstm_step, lambda *a: lstm_step(*a)[::-1], "return the short-term state h first"),
        (ch05.check_naive_forecast, lambda X, n: np.repeat(X[:, 0, :], n, axis=1), "first value"),
        (ch05.check_naive_forecast, lambda X, n: X[:, -n:, 0], "last `horizon` observed values"),
        (ch05.check_naive_forecast, lambda X, n: X[:, -1, 0], "expected (samples, horizon)"),
    ],
)
def test_typical_mistakes_get_their_hint(check, wrong, hint):
    with pytest.raises(ExerciseFailed, match=hint.replace("(", r"\(").replace(")", r"\)")):
        check(wrong)


def test_round_off_means_round_off():
    """An answer off by a relative 1e-7 is not "float64 round-off" (np.allclose's default rtol would pass it)."""
    def almost(*args):
        h, c = ch05._lstm_step_reference(*args)
        return h * (1 + 1e-7), c * (1 + 1e-7)

    with pytest.raises(ExerciseFailed):
        ch05.check_lstm_step(almost)


def test_answer_keys_are_not_public_names():
    import course_utils.exercises as exercises
    from course_utils.exercises import ch01, ch03, ch06, ch07

    for module in (exercises, ch01, ch03, ch05, ch06, ch07):
        public = [name for name in dir(module) if not name.startswith("_")]
        keys = [name for name in public if "reference" in name or name.startswith("exact")]
        assert not keys, f"{module.__name__} exposes answer keys: {keys}"
