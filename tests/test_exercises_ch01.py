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

REPEATS = 5  # each check draws a fresh case per call: run the right answers several times


class AlwaysEqual:
    """A cheat: an object that says it equals anything."""

    def __eq__(self, other):
        return True

    def __ne__(self, other):
        return False

    __hash__ = object.__hash__


# ------------------------------------------------------------------ the notebook's reference solutions


def simple_rnn_param_count(features, units):
    kernel = features * units        # W_x
    recurrent_kernel = units * units  # W_h
    bias = units                      # b
    return kernel + recurrent_kernel + bias


def linear_rnn_outputs(x, W_x, W_h, b, W_y, b_y):
    h = np.zeros((x.shape[0], W_h.shape[0]))
    outputs = []
    for t in range(x.shape[1]):
        h = x[:, t, :] @ W_x + h @ W_h + b
        outputs.append(h @ W_y + b_y)
    return np.stack(outputs, axis=1)


def simple_rnn_states(x, W_x, W_h, b, h0=None, activation=np.tanh):
    batch, steps, _ = x.shape
    h = np.zeros((batch, W_h.shape[0])) if h0 is None else h0
    states = []
    for t in range(steps):
        h = activation(x[:, t, :] @ W_x + h @ W_h + b)
        states.append(h)
    return np.stack(states, axis=1)


def seq2vec_gradients(x, y, W_x, W_h, b, W_y, b_y):
    H = simple_rnn_states(x, W_x, W_h, b)
    H_prev = np.concatenate([np.zeros_like(H[:, :1]), H[:, :-1]], axis=1)
    error = 2 * (H[:, -1] @ W_y + b_y - y) / y.size
    grads = {"W_y": H[:, -1].T @ error, "b_y": error.sum(axis=0),
             "W_x": np.zeros_like(W_x), "W_h": np.zeros_like(W_h), "b": np.zeros_like(b)}
    dH = error @ W_y.T                 # only the last state sees the output error
    for t in reversed(range(x.shape[1])):
        delta = dH * (1 - H[:, t] ** 2)
        grads["W_x"] += x[:, t].T @ delta
        grads["W_h"] += H_prev[:, t].T @ delta
        grads["b"] += delta.sum(axis=0)
        dH = delta @ W_h.T             # earlier steps: only through the recurrence
    return grads


SOLUTIONS = [simple_rnn_param_count, linear_rnn_outputs, seq2vec_gradients]


# ------------------------------------------------------------------ helpers


def refusal(check, answer) -> str:
    """The hint a check gives for ``answer``, which it must refuse (not call 'not attempted')."""
    with pytest.raises(ExerciseFailed) as failed:
        check(answer)
    assert not isinstance(failed.value, ExerciseNotAttempted)
    return failed.value.hint


def recorded(answer):
    """``answer``, remembering the arguments of its last call."""
    calls = []

    def wrapper(*args):
        calls.append(args)
        return answer(*args)

    return wrapper, calls


def number_in(value, text: str) -> bool:
    return re.search(rf"(?<![\d.]){re.escape(str(value))}(?![\d.])", text) is not None


# ------------------------------------------------------------------ all three checks


@pytest.mark.parametrize(
    "check, answer",
    [(ch01.check_param_count, simple_rnn_param_count), (ch01.check_linear_rnn, linear_rnn_outputs),
     (ch01.check_seq2vec_gradients, seq2vec_gradients)],
    ids=["1.1", "1.2", "1.3"],
)
def test_reference_solution_passes_every_draw(capsys, check, answer):
    for _ in range(REPEATS):
        check(answer)
    out = capsys.readouterr().out
    assert out.count("✓ Exercise 1.") == REPEATS and "✗" not in out


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
        pytest.param(lambda x, W_x, W_h, b, W_y, b_y: simple_rnn_states(x, W_x, W_h, b, activation=lambda a: a),
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


def seq2vec_variant(x, y, W_x, W_h, b, W_y, b_y, *, through_time=True, tanh_derivative=True, every_step=False):
    H = simple_rnn_states(x, W_x, W_h, b)
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


# ------------------------------------------------------------------ what crosses to the learner

CHECKED = [(ch01.check_param_count, simple_rnn_param_count), (ch01.check_linear_rnn, linear_rnn_outputs),
           (ch01.check_seq2vec_gradients, seq2vec_gradients)]

def plain(value) -> bool:
    """Plain data, as the grader can pass it to a learner's process: no objects with behaviour of their own."""
    from sklearn.preprocessing import MinMaxScaler

    if type(value) is np.ndarray:
        return value.dtype.kind in "biuf"
    if type(value) in (int, float, bool, str, type(None)):
        return True
    if type(value) in (tuple, list):
        return all(plain(v) for v in value)
    if type(value) is dict:
        return all(type(k) is str and plain(v) for k, v in value.items())
    return type(value) is MinMaxScaler or type(value) is types.FunctionType


def test_checks_pass_plain_data_only():
    for check, answer in CHECKED:
        calls = []

        def spy(*args, answer=answer, calls=calls):
            calls.append(args)
            return answer(*args)

        check(spy)
        assert calls and all(plain(args) for args in calls), check.__name__


# ------------------------------------------------------------------ no answer key in sight


def test_no_public_answer_key():
    """Every public name is a check or an exercise id: references, helpers and even imports are private."""
    public = [name for name in vars(ch01) if not name.startswith("_")]
    for name in public:
        value = getattr(ch01, name)
        is_check = name.startswith("check_") and inspect.isfunction(value) and value.__module__ == ch01.__name__
        is_exercise_id = isinstance(value, str) and re.fullmatch(r"Exercise 1\.\d", value)
        assert is_check or is_exercise_id, f"ch01 exposes {name!r}"
    assert sum(name.startswith("check_") for name in public) == 3


def _solution_fragments(function) -> list[str]:
    """Each line of a solution's body, and the right-hand side of each assignment, without comments."""
    fragments = []
    for line in inspect.getsource(function).splitlines()[1:]:
        code = line.split("#")[0].strip().removeprefix("return ").strip()
        fragments += [code, code.split("=", 1)[-1].strip() if re.search(r"[^=!<>]=[^=]", code) else code]
    return [" ".join(f.split()) for f in fragments if len(f) >= 8]


def test_no_message_contains_solution_code():
    texts = [" ".join(node.value.split()) for node in ast.walk(ast.parse(inspect.getsource(ch01)))
             if isinstance(node, ast.Constant) and isinstance(node.value, str)]
    for function in SOLUTIONS:
        for fragment in _solution_fragments(function):
            assert not any(fragment in text for text in texts), f"{fragment!r} appears in a message of ch01"
