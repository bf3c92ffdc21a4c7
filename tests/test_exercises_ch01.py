"""Chapter 1 checks: the notebook's solutions pass on every draw, each kind of wrong answer is refused with
its own hint (which gives away neither the answer nor the solution's code); what every check owes (the stub, non-functions) is in test_exercise_checks.py."""

from __future__ import annotations

import ast
import inspect
import re
import types

import numpy as np
import pytest

from course_utils.exercises import ExerciseFailed, ExerciseNotAttempted, ch01
from conftest import AlwaysEqual, notebook_function, number_in, recorded, refusal, refused

simple_rnn_param_count = notebook_function("01", "simple_rnn_param_count")
linear_rnn_outputs = notebook_function("01", "linear_rnn_outputs")
seq2vec_gradients = notebook_function("01", "seq2vec_gradients")
stateful_second_call = notebook_function("01", "stateful_second_call")

REPEATS = 5  # each check draws a fresh case per call: run the right answers several times


# ------------------------------------------------------------------ the notebook's reference solutions


# ------------------------------------------------------------------ helpers


# ------------------------------------------------------------------ all three checks


# ------------------------------------------------------------------ 1.1


def _lookup_table(features, units):
    """Memorised answers for the check's fixed sizes: the freshly drawn sizes must defeat it."""
    return {size: simple_rnn_param_count(*size) for size in ch01._COUNT_SIZES}.get((features, units), 0)


@pytest.mark.parametrize(
    "answer, hint",
    [
        pytest.param(lambda f, u: u * (f + u), "bias is missing", id="no bias"),
        pytest.param(lambda f, u: u * (f + 1), "recurrent kernel W_h is missing", id="no W_h"),
        pytest.param(lambda f, u: u * (f + u + 1) + u + 1, "not a Dense layer", id="with Dense"),
        pytest.param(lambda f, u: f * (f + u + 1), "different roles", id="swapped arguments"),
        pytest.param(lambda f, u: 4 * u * (f + u + 1), "single block", id="LSTM count"),
        pytest.param(lambda f, u: u * (u + 2), "use its features argument", id="ignores features"),
        pytest.param(lambda f, u: 45, "List the shapes", id="hard-coded"),
        pytest.param(_lookup_table, "List the shapes", id="lookup table"),
        pytest.param(lambda f, u: float(simple_rnn_param_count(f, u)), "whole number", id="float"),
        pytest.param(lambda f, u: np.float64(simple_rnn_param_count(f, u)), "whole number", id="numpy float"),
        pytest.param(lambda f, u: AlwaysEqual(), "whole number", id="always equal"),
        pytest.param(lambda f, u: True, "whole number", id="bool"),
        pytest.param(lambda f: 0, r"for features=3, units=5: your function raised TypeError", id="crash"),
    ],
)
def test_param_count_wrong(answer, hint):
    answer, calls = recorded(answer)
    message = refusal(ch01.check_param_count, answer)
    assert re.search(hint, message), message
    features, units = calls[-1]
    assert f"features={features}, units={units}" in message
    assert not number_in(simple_rnn_param_count(features, units), message)


def test_param_count_oracle_is_keras():
    import keras

    layer = keras.layers.SimpleRNN(6)
    layer.build((None, 11, 4))
    assert ch01._keras_simple_rnn_count(4, 6) == layer.count_params() == simple_rnn_param_count(4, 6)


# ------------------------------------------------------------------ 1.2


def linear_variant(x, W_x, W_h, b, W_y, b_y, *, activation=lambda a: a, recurrent=True, transpose=False,
                   state_bias=True, output_bias=True):
    h = np.zeros((x.shape[0], W_h.shape[0]))
    outputs = []
    for t in range(x.shape[1]):
        h = activation(x[:, t, :] @ W_x + (h @ (W_h.T if transpose else W_h) if recurrent else 0) + (b if state_bias else 0))
        outputs.append(h @ W_y + (b_y if output_bias else 0))
    return np.stack(outputs, axis=1)


def linear_states(x, W_x, W_h, b):
    """A wrong answer: the states h_t themselves, not the outputs computed from them."""
    h, states = np.zeros((x.shape[0], W_h.shape[0])), []
    for t in range(x.shape[1]):
        h = x[:, t, :] @ W_x + h @ W_h + b
        states.append(h)
    return np.stack(states, axis=1)


def hard_coded_state(x, W_x, W_h, b, W_y, b_y):
    h = np.zeros((3, 5))  # the sizes of the first case only
    outputs = []
    for t in range(x.shape[1]):
        h = x[:, t, :] @ W_x + h @ W_h + b
        outputs.append(h @ W_y + b_y)
    return np.stack(outputs, axis=1)


@pytest.mark.parametrize(
    "answer, hint",
    [
        pytest.param(lambda *a: linear_variant(*a, activation=np.tanh), "activation='linear'", id="tanh"),
        pytest.param(lambda *a: linear_variant(*a, recurrent=False), "Carry the state", id="no recurrence"),
        pytest.param(lambda *a: linear_variant(*a, transpose=True), "transposed", id="W_h transposed"),
        pytest.param(lambda *a: linear_variant(*a, state_bias=False), "bias b of the state", id="no b"),
        pytest.param(lambda *a: linear_variant(*a, output_bias=False), "bias b_y is missing", id="no b_y"),
        pytest.param(lambda *a: linear_rnn_outputs(*a)[:, -1, :], "only the last step", id="last step"),
        pytest.param(lambda *a: linear_rnn_outputs(*a)[..., 0], "add the output axis", id="no output axis"),
        pytest.param(lambda *a: linear_rnn_outputs(*a).transpose(1, 0, 2), "time axis comes first", id="time first"),
        pytest.param(lambda x, W_x, W_h, b, W_y, b_y: linear_states(x, W_x, W_h, b),
                     "those are the states", id="states"),
        pytest.param(lambda *a: linear_rnn_outputs(*a) + 0.1, "first differ at time step 0", id="offset"),
        pytest.param(lambda *a: linear_rnn_outputs(*a).astype(np.float32), "about 6 digits", id="float32"),
        pytest.param(hard_coded_state, r"\(5, 4, 6\) and units=3: your function raised ValueError", id="hard-coded sizes"),
        pytest.param(lambda *a: linear_rnn_outputs(*a).tolist(), "NumPy array", id="list"),
        pytest.param(lambda *a: AlwaysEqual(), "NumPy array", id="always equal"),
    ],
)
def test_linear_rnn_wrong(answer, hint):
    message = refusal(ch01.check_linear_rnn, answer)
    assert re.search(hint, message), message


def test_linear_rnn_tolerance_is_round_off():
    """Off by a relative 1e-7 is not "float64 round-off"."""
    message = refusal(ch01.check_linear_rnn, lambda *a: linear_rnn_outputs(*a) * (1 + 1e-7))
    assert "6 digits" in message


def test_linear_rnn_weights_have_nonzero_biases():
    rng = np.random.default_rng(0)
    for _ in range(20):
        weights = ch01._random_weights(rng, 3, 4)
        assert np.all(np.abs(weights[2]) >= 0.2) and np.all(np.abs(weights[4]) >= 0.3)


# ------------------------------------------------------------------ 1.3


def tanh_states(x, W_x, W_h, b):
    """The states of a tanh SimpleRNN from a zero start, shape (batch, steps, units)."""
    h, states = np.zeros((x.shape[0], W_h.shape[0])), []
    for t in range(x.shape[1]):
        h = np.tanh(x[:, t, :] @ W_x + h @ W_h + b)
        states.append(h)
    return np.stack(states, axis=1)


def seq2vec_variant(x, y, W_x, W_h, b, W_y, b_y, *, through_time=True, tanh_derivative=True, every_step=False):
    H = tanh_states(x, W_x, W_h, b)
    H_prev = np.concatenate([np.zeros_like(H[:, :1]), H[:, :-1]], axis=1)
    E = 2 * (H @ W_y + b_y - y[:, None, :]) / y.size  # every step's output error
    grads = {"W_x": np.zeros_like(W_x), "W_h": np.zeros_like(W_h), "b": np.zeros_like(b)}
    if every_step:
        grads.update(W_y=np.einsum("bsu,bso->uo", H, E), b_y=E.sum(axis=(0, 1)))
    else:
        grads.update(W_y=H[:, -1].T @ E[:, -1], b_y=E[:, -1].sum(axis=0))
    dH = E[:, -1] @ W_y.T
    for t in reversed(range(x.shape[1])):
        delta = dH * (1 - H[:, t] ** 2) if tanh_derivative else dH
        grads["W_x"] += x[:, t].T @ delta
        grads["W_h"] += H_prev[:, t].T @ delta
        grads["b"] += delta.sum(axis=0)
        if not through_time:
            break
        dH = delta @ W_h.T + (E[:, t - 1] @ W_y.T if every_step and t > 0 else 0)
    return grads


def _scaled(factor):
    return lambda *a: {k: v * factor for k, v in seq2vec_gradients(*a).items()}


@pytest.mark.parametrize(
    "answer, hint",
    [
        pytest.param(lambda *a: seq2vec_variant(*a, through_time=False), "only use the last time step", id="last step"),
        pytest.param(lambda *a: seq2vec_variant(*a, tanh_derivative=False), "tanh derivative is missing", id="no tanh'"),
        pytest.param(lambda *a: seq2vec_variant(*a, every_step=True), "sequence-to-sequence", id="error at every step"),
        pytest.param(_scaled(0.5), "0.5 times the right one", id="half"),
        pytest.param(lambda x, *a: {k: v / x.shape[1] for k, v in seq2vec_gradients(x, *a).items()},
                     "times the right one", id="divided by steps"),
        pytest.param(lambda *a: {k: v for k, v in seq2vec_gradients(*a).items() if k != "b"}, "lacks", id="missing key"),
        pytest.param(lambda *a: {**seq2vec_gradients(*a), "b": np.zeros(7)}, "shape of its weight", id="wrong shape"),
        pytest.param(lambda *a: {**seq2vec_gradients(*a), "b_y": seq2vec_gradients(*a)["b_y"].tolist()},
                     "NumPy array", id="list"),
        pytest.param(lambda *a: {**seq2vec_gradients(*a), "W_x": AlwaysEqual()}, "NumPy array", id="always equal"),
        pytest.param(lambda *a: {k: v.astype(np.float32) for k, v in seq2vec_gradients(*a).items()},
                     "about 6 digits", id="float32"),
        pytest.param(lambda *a: list(seq2vec_gradients(*a).values()), "return a dict", id="not a dict"),
    ],
)
def test_seq2vec_wrong(answer, hint):
    message = refusal(ch01.check_seq2vec_gradients, answer)
    assert re.search(hint, message), message


def test_seq2vec_hint_when_only_output_weights_are_right():
    def output_layer_only(*a):
        grads = seq2vec_gradients(*a)
        return {**grads, "W_x": 0 * grads["W_x"], "W_h": 0 * grads["W_h"]}

    assert "W_y and b_y are right" in refusal(ch01.check_seq2vec_gradients, output_layer_only)


# ------------------------------------------------------------------ 1.4


def stateful_variant(chunk1, chunk2, W_x, W_h, b, W_y, b_y, *, start="carried", activation=np.tanh,
                     transpose=False, state_bias=True, output_bias=True, call=2):
    """A stateful SimpleRNN + Dense over two calls, with one thing changed; ``call=1`` returns the first call's outputs."""
    def run(x, h):
        outputs = []
        for t in range(x.shape[1]):
            h = activation(x[:, t] @ W_x + h @ (W_h.T if transpose else W_h) + (b if state_bias else 0))
            outputs.append(h @ W_y + (b_y if output_bias else 0))
        return np.stack(outputs, axis=1), h

    zero = np.zeros((chunk1.shape[0], W_h.shape[0]))
    first, h = run(chunk1, zero)
    if call == 1:
        return first
    starts = {"carried": h, "zero": zero, "first sample's": np.repeat(h[:1], len(h), axis=0),
              "last sample's": np.repeat(h[-1:], len(h), axis=0), "mean": np.repeat(h.mean(0, keepdims=True), len(h), axis=0)}
    return run(chunk2, starts[start])[0]


def state_through_the_samples(chunk1, chunk2, W_x, W_h, b, W_y, b_y):
    """A wrong answer: one state never reset, running through sample 0's two chunks, then sample 1's, and so on."""
    h, rows = np.zeros(W_h.shape[0]), []
    for i in range(chunk1.shape[0]):
        for x_t in chunk1[i]:
            h = np.tanh(x_t @ W_x + h @ W_h + b)
        row = []
        for x_t in chunk2[i]:
            h = np.tanh(x_t @ W_x + h @ W_h + b)
            row.append(h @ W_y + b_y)
        rows.append(row)
    return np.array(rows)


def both_calls(chunk1, chunk2, *weights):
    return np.concatenate([stateful_variant(chunk1, chunk2, *weights, call=1), stateful_second_call(chunk1, chunk2, *weights)],
                          axis=1)


def second_call_states(chunk1, chunk2, W_x, W_h, b, W_y, b_y):
    """A wrong answer: the second call's states, not its outputs (units=1 gives them the outputs' shape)."""
    return stateful_variant(chunk1, chunk2, W_x, W_h, b, np.eye(W_h.shape[0]), 0 * b)


def hard_coded_batch(chunk1, chunk2, W_x, W_h, b, W_y, b_y):
    h = np.zeros((3, W_h.shape[0]))  # the batch size of the first case only
    for t in range(chunk1.shape[1]):
        h = np.tanh(chunk1[:, t] @ W_x + h @ W_h + b)
    return stateful_second_call(chunk1, chunk2, W_x, W_h, b, W_y, b_y)


def test_stateful_second_call_right_answer_passes_every_draw(capsys):
    for _ in range(REPEATS):
        ch01.check_stateful_second_call(stateful_second_call)
    out = capsys.readouterr().out
    assert out.count("✓ Exercise 1.4 passed") == REPEATS
    assert "tanh" not in out and "@" not in out and "W_h" not in out  # the pass message names no formula


def test_stateful_second_call_stub_is_not_attempted():
    def stub(*args):
        raise NotImplementedError()

    with pytest.raises(ExerciseNotAttempted, match="not attempted"):
        ch01.check_stateful_second_call(stub)


@pytest.mark.parametrize(
    "answer, hint",
    [
        pytest.param(lambda *a: stateful_variant(*a, start="zero"), "starts from a zero state", id="no carried state"),
        pytest.param(lambda *a: stateful_variant(*a, call=1), "outputs of the first call", id="first call"),
        pytest.param(lambda *a: stateful_variant(*a, start="first sample's"), "starts from the same state",
                     id="sample 0's state for all"),
        pytest.param(lambda *a: stateful_variant(*a, start="last sample's"), "starts from the same state",
                     id="last sample's state for all"),
        pytest.param(state_through_the_samples, "flows from one sample into the next", id="state across samples"),
        pytest.param(lambda *a: stateful_variant(*a, activation=lambda v: v), "tanh", id="no tanh"),
        pytest.param(lambda *a: stateful_variant(*a, transpose=True), "transposed", id="W_h transposed"),
        pytest.param(lambda *a: stateful_variant(*a, state_bias=False), "bias b of the state", id="no b"),
        pytest.param(lambda *a: stateful_variant(*a, output_bias=False), "bias b_y is missing", id="no b_y"),
        pytest.param(lambda *a: stateful_second_call(*a)[:, -1, :], "only the last step", id="last step only"),
        pytest.param(lambda *a: stateful_second_call(*a)[..., 0], "add the output axis", id="no output axis"),
        pytest.param(lambda *a: stateful_second_call(*a).transpose(1, 0, 2), "time axis comes first", id="time first"),
        pytest.param(both_calls, "outputs of both calls", id="both calls"),
        pytest.param(second_call_states, "those are the states", id="states"),
        pytest.param(lambda *a: stateful_variant(*a, start="mean"), "first step of chunk 2", id="mean state"),
        pytest.param(lambda *a: stateful_second_call(*a) + 0.1, "first step of chunk 2", id="offset"),
        pytest.param(lambda *a: stateful_second_call(*a).astype(np.float32), "float64 round-off", id="float32"),
        pytest.param(hard_coded_batch, r"\(4, 6, 1\) then \(4, 2, 1\) and units=3: your function raised ValueError",
                     id="hard-coded batch"),
        pytest.param(lambda *a: stateful_second_call(*a).tolist(), "NumPy array", id="list"),
        pytest.param(lambda *a: AlwaysEqual(), "NumPy array", id="always equal"),
    ],
)
def test_stateful_second_call_wrong(answer, hint):
    message = refusal(ch01.check_stateful_second_call, answer)
    assert re.search(hint, message), message


def test_stateful_second_call_shape_hint_for_the_first_calls_length():
    """Where the chunks' lengths differ, the first call's outputs are named by their shape."""
    def answer(*a):
        return stateful_variant(*a, call=1) if a[0].shape[1] != a[1].shape[1] else stateful_second_call(*a)

    message = refusal(ch01.check_stateful_second_call, answer)
    assert "one output per step of chunk 1" in message, message


def test_stateful_oracle_is_keras_carrying_the_state():
    """The check's answer is the second call of a stateful model: the tail of one stateless call over both chunks."""
    import keras

    rng = np.random.default_rng(3)
    chunk1, chunk2 = rng.normal(size=(3, 4, 2)), rng.normal(size=(3, 6, 2))
    weights = ch01._random_weights(rng, 2, 5)
    first, second = ch01._keras_stateful_calls(chunk1, chunk2, weights)
    inputs = keras.Input(shape=(None, 2), dtype="float64")
    outputs = keras.layers.Dense(1, dtype="float64")(keras.layers.SimpleRNN(5, return_sequences=True, dtype="float64")(inputs))
    stateless = keras.Model(inputs, outputs)
    stateless.set_weights(weights)
    whole = np.asarray(stateless(np.concatenate([chunk1, chunk2], axis=1)))
    np.testing.assert_allclose(first, whole[:, :4], rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(second, whole[:, 4:], rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(second, stateful_second_call(chunk1, chunk2, *weights), rtol=1e-12, atol=1e-12)
    assert not np.allclose(second, np.asarray(stateless(chunk2)), rtol=1e-6, atol=1e-6)  # the carried state matters


def test_stateful_cases_can_tell_the_mistakes_apart():
    """Every fixed case has batch > 1; one has chunks of equal length, one has chunks of different length, one units=1."""
    assert all(batch > 1 for batch, *_ in ch01._STATEFUL_SIZES)
    assert any(s1 == s2 for _, s1, s2, _, _ in ch01._STATEFUL_SIZES)
    assert any(s1 != s2 for _, s1, s2, _, _ in ch01._STATEFUL_SIZES)
    assert any(units == 1 for *_, units in ch01._STATEFUL_SIZES)


# ------------------------------------------------------------------ what crosses to the learner

CHECKED = [(ch01.check_param_count, simple_rnn_param_count), (ch01.check_linear_rnn, linear_rnn_outputs),
           (ch01.check_seq2vec_gradients, seq2vec_gradients), (ch01.check_stateful_second_call, stateful_second_call)]


# ------------------------------------------------------------------ no answer key in sight


