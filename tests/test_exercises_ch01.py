"""Chapter 1 checks: a correct answer passes, typical mistakes get the right hint, the stub is named."""

from __future__ import annotations

import numpy as np
import pytest

from course_utils.exercises import ExerciseFailed, ExerciseNotAttempted, ch01


def stub(*args, **kwargs):
    raise NotImplementedError()


# ------------------------------------------------------------------ 1.1


def test_param_count_correct(capsys):
    ch01.check_param_count(lambda f, u: u * (f + u + 1))
    assert "✓ Exercise 1.1 passed" in capsys.readouterr().out


@pytest.mark.parametrize(
    "answer, hint",
    [
        (lambda f, u: u * (f + u), "bias is missing"),
        (lambda f, u: u * (f + 1), "recurrent kernel W_h is missing"),
        (lambda f, u: u * (f + u + 1) + u + 1, "not a Dense layer"),
        (lambda f, u: f * u, "List the shapes"),
        (lambda f, u: float(u * (f + u + 1)), "whole number"),
        (lambda f: 0, "raised TypeError"),
    ],
)
def test_param_count_wrong(answer, hint):
    with pytest.raises(ExerciseFailed, match=hint):
        ch01.check_param_count(answer)


def test_param_count_stub():
    with pytest.raises(ExerciseNotAttempted, match="not attempted yet"):
        ch01.check_param_count(stub)


def test_failure_renders_as_one_line_in_jupyter():
    try:
        ch01.check_param_count(stub)
    except ExerciseFailed as error:
        lines = error._render_traceback_()
    assert len(lines) == 1 and "Traceback" not in lines[0] and "Exercise 1.1" in lines[0]


# ------------------------------------------------------------------ 1.2


def linear_correct(x, W_x, W_h, b, W_y, b_y):
    h = np.zeros((x.shape[0], W_h.shape[0]))
    out = []
    for t in range(x.shape[1]):
        h = x[:, t] @ W_x + h @ W_h + b
        out.append(h @ W_y + b_y)
    return np.stack(out, axis=1)


def test_linear_rnn_correct(capsys):
    ch01.check_linear_rnn(linear_correct)
    assert "✓ Exercise 1.2 passed" in capsys.readouterr().out


def test_linear_rnn_matches_keras():
    """The check's reference is what Keras computes for activation='linear'."""
    import keras

    x, weights = ch01._linear_rnn_case()
    model = keras.Sequential([
        keras.Input((x.shape[1], x.shape[2]), dtype="float64"),
        keras.layers.SimpleRNN(4, activation="linear", return_sequences=True, dtype="float64"),
        keras.layers.Dense(1, dtype="float64"),
    ])
    model.set_weights(list(weights))
    np.testing.assert_allclose(ch01._rnn_outputs(x, *weights), model(x).numpy(), rtol=1e-10, atol=1e-12)


def _with_tanh(x, W_x, W_h, b, W_y, b_y):
    return ch01._rnn_outputs(x, W_x, W_h, b, W_y, b_y, activation=np.tanh)


def _no_recurrence(x, W_x, W_h, b, W_y, b_y):
    return ch01._rnn_outputs(x, W_x, W_h, b, W_y, b_y, recurrent=False)


@pytest.mark.parametrize(
    "answer, hint",
    [
        (lambda *a: linear_correct(*a)[:, -1, :], "only the last step"),
        (lambda *a: linear_correct(*a)[..., 0], "add the output axis"),
        (lambda *a: linear_correct(*a).transpose(1, 0, 2), "time axis comes first"),
        (_with_tanh, "activation='linear'"),
        (_no_recurrence, "Carry the state"),
        (lambda x, W_x, W_h, b, W_y, b_y: linear_correct(x, W_x, W_h.T, b, W_y, b_y), "transposed"),
        (lambda *a: linear_correct(*a) + 0.1, "first differ at time step 0"),
        (lambda *a: [0.0], "NumPy array"),
    ],
)
def test_linear_rnn_wrong(answer, hint):
    with pytest.raises(ExerciseFailed, match=hint):
        ch01.check_linear_rnn(answer)


def test_linear_rnn_stub():
    with pytest.raises(ExerciseNotAttempted):
        ch01.check_linear_rnn(stub)


# ------------------------------------------------------------------ 1.3


def test_seq2vec_reference_matches_gradient_tape():
    import keras
    import tensorflow as tf

    x, y, weights = ch01._seq2vec_case()
    model = keras.Sequential([
        keras.Input(x.shape[1:], dtype="float64"),
        keras.layers.SimpleRNN(3, dtype="float64"),
        keras.layers.Dense(1, dtype="float64"),
    ])
    model.set_weights(list(weights))
    with tf.GradientTape() as tape:
        loss = keras.losses.MeanSquaredError(dtype="float64")(y, model(x))
    tape_grads = tape.gradient(loss, model.trainable_weights)
    reference = ch01._seq2vec_reference_gradients(x, y, *weights)
    for name, grad in zip(ch01.GRADIENT_NAMES, tape_grads):
        np.testing.assert_allclose(reference[name], grad.numpy(), rtol=1e-9, atol=1e-12)


def test_seq2vec_correct(capsys):
    ch01.check_seq2vec_gradients(ch01._seq2vec_reference_gradients)
    assert "✓ Exercise 1.3 passed" in capsys.readouterr().out


def _scaled(factor):
    return lambda *a: {k: v * factor for k, v in ch01._seq2vec_reference_gradients(*a).items()}


@pytest.mark.parametrize(
    "answer, hint",
    [
        (lambda *a: ch01._seq2vec_reference_gradients(*a, recurrent_path=False), "only use the last time step"),
        (lambda *a: ch01._seq2vec_reference_gradients(*a, tanh_derivative=False), "tanh derivative is missing"),
        (_scaled(0.5), "0.5 times the right one"),
        (lambda *a: {k: v for k, v in ch01._seq2vec_reference_gradients(*a).items() if k != "b"}, "lacks"),
        (lambda *a: {**ch01._seq2vec_reference_gradients(*a), "b": np.zeros(7)}, "shape"),
        (lambda *a: [1, 2], "return a dict"),
    ],
)
def test_seq2vec_wrong(answer, hint):
    with pytest.raises(ExerciseFailed, match=hint):
        ch01.check_seq2vec_gradients(answer)


def test_seq2vec_stub():
    with pytest.raises(ExerciseNotAttempted):
        ch01.check_seq2vec_gradients(stub)
