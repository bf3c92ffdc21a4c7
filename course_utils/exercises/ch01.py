"""Checks for the exercises of chapter 1 (RNN fundamentals).

Keras is the oracle here: each check builds the layers the exercise describes
(float64, random weights with non-zero biases) and compares the learner's
answer with what Keras computes, on several sizes, one of them drawn afresh on
every call. Keras is imported inside the checks, so importing this module is cheap.
"""

import functools as _functools

import numpy as _np

from . import _core

PARAM_COUNT = "Exercise 1.1"
LINEAR_RNN = "Exercise 1.2"
SEQ2VEC_GRADIENTS = "Exercise 1.3"
STATEFUL_SECOND_CALL = "Exercise 1.4"

_GRADIENT_NAMES = ("W_x", "W_h", "b", "W_y", "b_y")
# Sizes differ on every axis within a case (so a swapped axis changes a shape) and between cases
# (so a hard-coded size fails); one more case is drawn from fresh_rng() on every call.
_COUNT_SIZES = [(3, 5), (7, 2), (1, 12), (16, 9)]  # (features, units)
_SEQUENCE_SIZES = [(3, 7, 2, 5), (5, 4, 6, 3)]  # (batch, steps, features, units)


def _distinct_sizes(rng: _np.random.Generator, lows: tuple[int, ...], highs: tuple[int, ...]) -> tuple[int, ...]:
    """Random sizes, one per axis within [low, high], all different, so that no two axes can be confused."""
    while True:
        sizes = tuple(int(rng.integers(low, high + 1)) for low, high in zip(lows, highs))
        if len(set(sizes)) == len(sizes):
            return sizes


def _nonzero(rng: _np.random.Generator, size, low: float = 0.2, high: float = 0.8) -> _np.ndarray:
    """Values of random sign with magnitude in [low, high]: biases that cannot be mistaken for zero."""
    return rng.uniform(low, high, size=size) * rng.choice([-1.0, 1.0], size=size)


def _random_weights(rng: _np.random.Generator, features: int, units: int) -> list[_np.ndarray]:
    """W_x, W_h, b, W_y, b_y in the order of model.get_weights(); W_h is not symmetric, both biases non-zero."""
    return [
        rng.normal(scale=0.7, size=(features, units)),
        rng.normal(scale=0.6 / _np.sqrt(units), size=(units, units)),
        _nonzero(rng, units),
        rng.normal(scale=0.7, size=(units, 1)),
        _nonzero(rng, 1, 0.3, 0.9),
    ]


# ---------------------------------------------------------------- 1.1 parameter count


@_functools.lru_cache(maxsize=128)
def _keras_simple_rnn_count(features: int, units: int) -> int:
    import keras

    layer = keras.layers.SimpleRNN(units)
    layer.build((None, None, features))
    return int(layer.count_params())


def check_param_count(simple_rnn_param_count: "Callable[[int, int], int]") -> None:
    """Compare the learner's SimpleRNN parameter count with Keras's count for several sizes."""
    rng = _core.fresh_rng()
    sizes = [*_COUNT_SIZES, *(_distinct_sizes(rng, (1, 2), (40, 64)) for _ in range(2))]
    for features, units in sizes:
        where = f"for features={features}, units={units}"
        got = _core.whole_number(
            PARAM_COUNT, _core.attempt_in(PARAM_COUNT, where, simple_rnn_param_count, features, units), f"the count {where}"
        )
        want = _keras_simple_rnn_count(features, units)
        if got == want:
            continue
        where = f"{where} you return {got}, which is not what keras.layers.SimpleRNN({units}) has"
        if got == want - units:
            hint = "The bias is missing: each unit has one."
        elif got == want - units * units:
            hint = "The recurrent kernel W_h is missing: it maps the state (units) to the state (units)."
        elif got == want + units + 1:
            hint = "Count the SimpleRNN layer only, not a Dense layer on top."
        elif got == _keras_simple_rnn_count(units, features):
            hint = "features and units play different roles: the function is called as (features, units), in that order."
        elif got in (3 * want, 4 * want):
            hint = "A SimpleRNN has a single block of weights; GRU and LSTM have three and four."
        elif any(got == want + units * (other - features) for other in range(1, 65) if other != features):
            hint = "Your count changes with units but not correctly with features: does your function use its features argument?"
        else:
            hint = "List the shapes of kernel, recurrent_kernel and bias and add up their sizes."
        raise _core.ExerciseFailed(PARAM_COUNT, f"{where}. {hint}")
    _core.passed(PARAM_COUNT, "units * (features + units + 1) for every size tried, whatever the sequence length.")


# ---------------------------------------------------------------- 1.2 linear RNN by hand


def _keras_linear_outputs(x: _np.ndarray, weights: list[_np.ndarray]) -> _np.ndarray:
    """SimpleRNN(units, activation='linear', return_sequences=True) then Dense(1), in float64, with ``weights``."""
    import keras

    features, units = weights[0].shape
    rnn = keras.layers.SimpleRNN(units, activation="linear", return_sequences=True, dtype="float64")
    dense = keras.layers.Dense(1, dtype="float64")
    rnn.build((None, None, features))
    dense.build((None, None, units))
    rnn.set_weights(weights[:3])
    dense.set_weights(weights[3:])
    return _np.asarray(dense(rnn(x)), dtype=_np.float64)


def _wrong_linear_outputs(mistake: str, x, W_x, W_h, b, W_y, b_y) -> _np.ndarray:
    """What a typical mistake computes; only used to name the mistake, never as the answer."""
    activation = _np.tanh if mistake == "tanh" else (lambda a: a)
    W_h = W_h.T if mistake == "transposed" else W_h
    b = 0 * b if mistake == "no state bias" else b
    b_y = 0 * b_y if mistake == "no output bias" else b_y
    if mistake not in ("tanh", "transposed", "no state bias", "no output bias", "no recurrence"):
        raise ValueError(mistake)
    h = _np.zeros((x.shape[0], W_h.shape[0]))
    outputs = []
    for t in range(x.shape[1]):
        h = activation(x[:, t] @ W_x + (0 if mistake == "no recurrence" else h @ W_h) + b)
        outputs.append(h @ W_y + b_y)
    return _np.stack(outputs, axis=1)


# Mistakes any hand-written SimpleRNN + Dense forward pass can make (exercises 1.2 and 1.4).
_FORWARD_PASS_HINTS = {
    "transposed": "W_h is used transposed: Keras multiplies the previous state, a row vector, by W_h from the left.",
    "no state bias": "the bias b of the state update is missing.",
    "no output bias": "the Dense layer's bias b_y is missing.",
}

_LINEAR_HINTS = {
    "tanh": "your states go through tanh, but this exercise uses activation='linear': h_t = x_t W_x + h_{t-1} W_h + b.",
    "no recurrence": "each output depends only on its own input. Carry the state h from one step to the next.",
    **_FORWARD_PASS_HINTS,
}


def check_linear_rnn(linear_rnn_outputs: "Callable[..., _np.ndarray]") -> None:
    """Compare the learner's linear SimpleRNN + Dense forward pass with Keras's, step by step, for several sizes."""
    rng = _core.fresh_rng()
    for batch, steps, features, units in [*_SEQUENCE_SIZES, _distinct_sizes(rng, (2, 3, 1, 2), (6, 9, 5, 7))]:
        x = rng.normal(size=(batch, steps, features))
        weights = _random_weights(rng, features, units)
        want = _keras_linear_outputs(x, weights)
        where = f"for x of shape (batch, steps, features) = {x.shape} and units={units}"
        got = _core.attempt_in(LINEAR_RNN, where, linear_rnn_outputs, x.copy(), *(w.copy() for w in weights))
        got = _core.real_array(LINEAR_RNN, got, f"your outputs {where}")
        if got.shape != want.shape:
            if got.shape in ((batch, 1), (batch,)):
                hint = "you return only the last step. This model is sequence-to-sequence: one output per time step."
            elif got.shape == (batch, steps):
                hint = "add the output axis: one (batch, 1) output per step, stacked along axis 1."
            elif got.shape == (steps, batch, 1):
                hint = "the time axis comes first; stack the per-step outputs along axis=1."
            elif got.shape == (batch, steps, units):
                hint = "those are the states; the model's outputs go through the Dense layer (W_y, b_y)."
            else:
                hint = "stack one (batch, 1) output per time step along axis 1."
            raise _core.ExerciseFailed(
                LINEAR_RNN, f"{where} your outputs have shape {got.shape}, but (batch, steps, 1) was expected: {hint}"
            )
        if _core.close(got, want, _core.ROUND_OFF):
            continue
        for mistake, hint in _LINEAR_HINTS.items():
            if _core.close(got, _wrong_linear_outputs(mistake, x, *weights), 1e-8):
                break
        else:
            if _core.close(got, want, 1e-5):
                hint = "your outputs agree only to about 6 digits: compute in float64 (no float32 on the way)."
            else:
                first = int(_np.argmax(~_np.isclose(got, want, rtol=_core.ROUND_OFF, atol=_core.ROUND_OFF).all(axis=(0, 2))))
                hint = (
                    f"your outputs first differ at time step {first} (counting from 0). "
                    "Print your state there and compare with a hand computation for one sample."
                )
        raise _core.ExerciseFailed(LINEAR_RNN, f"{where}: {hint}")
    _core.passed(LINEAR_RNN, "every step matches Keras's linear SimpleRNN + Dense to float64 round-off, for every size tried.")


# ---------------------------------------------------------------- 1.3 BPTT for sequence-to-vector


def _keras_seq2vec_gradients(x: _np.ndarray, y: _np.ndarray, weights: list[_np.ndarray]) -> dict[str, _np.ndarray]:
    """Gradients of the mean squared error of a tanh SimpleRNN + Dense(1) in float64, by tf.GradientTape."""
    import keras
    import tensorflow as tf

    features, units = weights[0].shape
    rnn = keras.layers.SimpleRNN(units, dtype="float64")
    dense = keras.layers.Dense(1, dtype="float64")
    rnn.build((None, None, features))
    dense.build((None, units))
    rnn.set_weights(weights[:3])
    dense.set_weights(weights[3:])
    variables = [rnn.cell.kernel, rnn.cell.recurrent_kernel, rnn.cell.bias, dense.kernel, dense.bias]
    with tf.GradientTape() as tape:
        loss = keras.losses.MeanSquaredError(dtype="float64")(tf.constant(y), dense(rnn(tf.constant(x))))
    return {name: _np.asarray(g, dtype=_np.float64) for name, g in zip(_GRADIENT_NAMES, tape.gradient(loss, variables))}


def _wrong_seq2vec_gradients(mistake: str, x, y, W_x, W_h, b, W_y, b_y) -> dict[str, _np.ndarray]:
    """What a typical mistake computes; only used to name the mistake, never as the answer."""
    if mistake not in ("last step only", "no tanh derivative", "error at every step"):
        raise ValueError(mistake)
    batch, steps, _ = x.shape
    h = _np.zeros((batch, W_h.shape[0]))
    states, previous = [], []
    for t in range(steps):
        previous.append(h)
        h = _np.tanh(x[:, t] @ W_x + h @ W_h + b)
        states.append(h)
    errors = [2 * (s @ W_y + b_y - y) / y.size for s in states]
    grads = {"W_y": h.T @ errors[-1], "b_y": errors[-1].sum(axis=0)}
    if mistake == "error at every step":
        grads = {"W_y": sum(s.T @ e for s, e in zip(states, errors)), "b_y": sum(e.sum(axis=0) for e in errors)}
    grads.update(W_x=_np.zeros_like(W_x), W_h=_np.zeros_like(W_h), b=_np.zeros_like(b))
    d_state = errors[-1] @ W_y.T
    for t in reversed(range(steps)):
        delta = d_state if mistake == "no tanh derivative" else d_state * (1 - states[t] ** 2)
        grads["W_x"] += x[:, t].T @ delta
        grads["W_h"] += previous[t].T @ delta
        grads["b"] += delta.sum(axis=0)
        if mistake == "last step only":
            break
        d_state = delta @ W_h.T + (errors[t - 1] @ W_y.T if mistake == "error at every step" and t > 0 else 0)
    return grads


_SEQ2VEC_HINTS = {
    "last step only": (
        "your gradients only use the last time step. The loss depends on earlier steps through "
        "h_{t-1}: carry the error back through the recurrent kernel to every earlier step and keep accumulating."
    ),
    "no tanh derivative": "the tanh derivative is missing: at every step the error passes back through tanh.",
    "error at every step": (
        "you treat every step's output as a prediction, as in the sequence-to-sequence case; "
        "here only the last state h_T feeds the Dense layer and the loss."
    ),
}


def _all_close(got: dict, want: dict, tolerance: float) -> bool:
    return all(_core.close(got[k], want[k], tolerance) for k in _GRADIENT_NAMES)


def check_seq2vec_gradients(seq2vec_gradients: "Callable[..., dict]") -> None:
    """Compare the learner's sequence-to-vector BPTT gradients with tf.GradientTape on a float64 Keras model."""
    rng = _core.fresh_rng()
    for batch, steps, features, units in [*_SEQUENCE_SIZES, _distinct_sizes(rng, (2, 3, 1, 2), (6, 8, 5, 7))]:
        x = rng.normal(size=(batch, steps, features))
        y = rng.normal(size=(batch, 1))
        weights = _random_weights(rng, features, units)
        want = _keras_seq2vec_gradients(x, y, weights)
        where = f"for x of shape (batch, steps, features) = {x.shape}, y of shape {y.shape} and units={units}"
        got = _core.attempt_in(SEQ2VEC_GRADIENTS, where, seq2vec_gradients, x.copy(), y.copy(), *(w.copy() for w in weights))
        if type(got) is not dict:
            raise _core.ExerciseFailed(
                SEQ2VEC_GRADIENTS, f"return a dict with keys {_GRADIENT_NAMES}, got {type(got).__name__}."
            )
        missing = [k for k in _GRADIENT_NAMES if k not in got]
        if missing:
            raise _core.ExerciseFailed(
                SEQ2VEC_GRADIENTS, f"the dict lacks {missing}; return one gradient per weight {_GRADIENT_NAMES}."
            )
        arrays = {}
        for k, weight in zip(_GRADIENT_NAMES, weights):
            arrays[k] = _core.real_array(SEQ2VEC_GRADIENTS, got[k], f"the gradient for {k}")
            if arrays[k].shape != weight.shape:
                raise _core.ExerciseFailed(
                    SEQ2VEC_GRADIENTS,
                    f"{where} the gradient for {k} has shape {arrays[k].shape} but {k} itself has shape "
                    f"{weight.shape}; a gradient always has the shape of its weight.",
                )
        if _all_close(arrays, want, _core.ROUND_OFF):
            continue
        for mistake, hint in _SEQ2VEC_HINTS.items():
            if _all_close(arrays, _wrong_seq2vec_gradients(mistake, x, y, *weights), 1e-8):
                break
        else:
            ratios = _np.concatenate(
                [(arrays[k] / want[k]).ravel() for k in _GRADIENT_NAMES if _np.all(_np.abs(want[k]) > 1e-9)]
            )
            if ratios.size and _np.allclose(ratios, ratios[0], rtol=1e-6) and not _np.isclose(ratios[0], 1.0):
                hint = (
                    f"every gradient is {ratios[0]:.4g} times the right one. Check the factor 2 / N of the mean "
                    "squared error, with N the number of targets."
                )
            elif _all_close(arrays, want, 1e-5):
                hint = "your gradients agree only to about 6 digits: compute in float64 (no float32 on the way)."
            elif all(_core.close(arrays[k], want[k], _core.ROUND_OFF) for k in ("W_y", "b_y")):
                wrong = [k for k in ("W_x", "W_h", "b") if not _core.close(arrays[k], want[k], _core.ROUND_OFF)]
                hint = (
                    f"W_y and b_y are right, but {wrong} are not: only the last state feeds the loss, so the "
                    "backward pass starts from the output error at the last step, and earlier steps get "
                    "their share only through the recurrence."
                )
            else:
                hint = (
                    "start with W_y and b_y: they need only the last state h_T and the derivative of L "
                    "with respect to each prediction."
                )
        raise _core.ExerciseFailed(SEQ2VEC_GRADIENTS, f"{where}: {hint}")
    _core.passed(SEQ2VEC_GRADIENTS, "all five gradients match backpropagation through time.")


# ---------------------------------------------------------------- 1.4 a stateful model's second call

# (batch, steps of chunk 1, steps of chunk 2, features, units). Every case has batch > 1, so mixing the samples'
# states shows; the first case's chunks have equal lengths, so returning the first call's outputs has the right
# shape and is caught by its values; the others differ in length, and the last has units=1, where the states
# themselves have the outputs' shape. One more case is drawn from fresh_rng() on every call.
_STATEFUL_SIZES = [(3, 4, 4, 2, 5), (4, 6, 2, 1, 3), (2, 3, 7, 5, 1)]


def _keras_stateful_calls(chunk1: _np.ndarray, chunk2: _np.ndarray, weights: list[_np.ndarray]):
    """Outputs of the first and the second call of a stateful SimpleRNN(return_sequences=True) + Dense(1), float64."""
    import keras

    batch, _, features = chunk1.shape
    units = weights[1].shape[0]
    rnn = keras.layers.SimpleRNN(units, stateful=True, return_sequences=True, dtype="float64")
    dense = keras.layers.Dense(1, dtype="float64")
    rnn.build((batch, None, features))  # a stateful layer needs its batch size; the chunks' lengths may differ
    dense.build((batch, None, units))
    rnn.set_weights(weights[:3])
    dense.set_weights(weights[3:])
    first = _np.asarray(dense(rnn(chunk1)), dtype=_np.float64)
    second = _np.asarray(dense(rnn(chunk2)), dtype=_np.float64)
    return first, second


def _wrong_second_call(mistake: str, chunk1, chunk2, W_x, W_h, b, W_y, b_y) -> _np.ndarray:
    """What a typical mistake computes; only used to name the mistake, never as the answer."""
    if mistake not in _STATEFUL_HINTS:
        raise ValueError(mistake)
    activation = (lambda a: a) if mistake == "no tanh" else _np.tanh
    W_h = W_h.T if mistake == "transposed" else W_h
    b = 0 * b if mistake == "no state bias" else b
    b_y = 0 * b_y if mistake == "no output bias" else b_y

    def run(x, h):
        states = []
        for t in range(x.shape[1]):
            h = activation(x[:, t] @ W_x + h @ W_h + b)
            states.append(h)
        states = _np.stack(states, axis=1)
        return (states if mistake == "states" else states @ W_y + b_y), h

    batch = chunk1.shape[0]
    zero = _np.zeros((batch, W_h.shape[0]))
    first, h = run(chunk1, zero)
    if mistake == "first call":
        return first
    if mistake == "no carry":
        return run(chunk2, zero)[0]
    if mistake.startswith("same start, sample "):
        return run(chunk2, _np.repeat(h[[int(mistake.rsplit(" ", 1)[1])]], batch, axis=0))[0]
    if mistake == "state across samples":  # one state, never reset, running through the samples one after another
        h, outputs = zero[:1], []
        for i in range(batch):
            h = run(chunk1[i : i + 1], h)[1]
            out, h = run(chunk2[i : i + 1], h)
            outputs.append(out)
        return _np.concatenate(outputs, axis=0)
    return run(chunk2, h)[0]


_ONE_STATE_PER_SAMPLE = (
    "Each row of the batch is a series of its own, with a state of its own: sample i of chunk 2 "
    "continues sample i of chunk 1, and no other sample."
)
_STATEFUL_HINTS = {
    "no carry": (
        "your second call starts from a zero state, as a stateless layer does. A stateful layer does not forget "
        "the first call: where does its second call start from?"
    ),
    "first call": "these are the outputs of the first call (chunk 1); the exercise asks what the second call returns.",
    "same start, sample 0": f"every sample of chunk 2 starts from the same state. {_ONE_STATE_PER_SAMPLE}",
    "same start, sample -1": f"every sample of chunk 2 starts from the same state. {_ONE_STATE_PER_SAMPLE}",
    "state across samples": f"your state flows from one sample into the next. {_ONE_STATE_PER_SAMPLE}",
    "no tanh": "your states skip the activation: SimpleRNN's default activation is tanh.",
    **_FORWARD_PASS_HINTS,
    "states": "those are the states; the model's outputs go through the Dense layer (W_y, b_y).",
}


def check_stateful_second_call(stateful_second_call: "Callable[..., _np.ndarray]") -> None:
    """Compare the learner's prediction of a stateful model's second call with Keras's, for several sizes."""
    rng = _core.fresh_rng()
    random_size = _distinct_sizes(rng, (2, 2, 2, 1, 2), (6, 9, 9, 5, 7))
    for batch, steps1, steps2, features, units in [*_STATEFUL_SIZES, random_size]:
        chunk1 = rng.normal(size=(batch, steps1, features))
        chunk2 = rng.normal(size=(batch, steps2, features))
        weights = _random_weights(rng, features, units)
        first, want = _keras_stateful_calls(chunk1, chunk2, weights)
        where = (
            f"for chunks of shape (batch, steps, features) = {chunk1.shape} then {chunk2.shape} and units={units}"
        )
        got = _core.attempt_in(
            STATEFUL_SECOND_CALL, where, stateful_second_call, chunk1.copy(), chunk2.copy(), *(w.copy() for w in weights)
        )
        got = _core.real_array(STATEFUL_SECOND_CALL, got, f"your outputs {where}")
        if got.shape != want.shape:
            if got.shape in ((batch, 1), (batch,)):
                hint = "you return only the last step. The second call returns an output at every step of chunk 2."
            elif got.shape == (batch, steps1 + steps2, 1):
                hint = "you return the outputs of both calls; the exercise asks for the second call's only."
            elif got.shape == (batch, steps1, 1):
                hint = "you return one output per step of chunk 1. The second call reads chunk 2."
            elif got.shape == (batch, steps2):
                hint = "add the output axis: one (batch, 1) output per step, stacked along axis 1."
            elif got.shape == (steps2, batch, 1):
                hint = "the time axis comes first; stack the per-step outputs along axis 1."
            elif got.shape == (batch, steps2, units):
                hint = _STATEFUL_HINTS["states"]
            else:
                hint = "return one (batch, 1) output per step of chunk 2, stacked along axis 1."
            raise _core.ExerciseFailed(
                STATEFUL_SECOND_CALL,
                f"{where} your outputs have shape {got.shape}, but (batch, steps of chunk 2, 1) = {want.shape} "
                f"was expected: {hint}",
            )
        if _core.close(got, want, _core.ROUND_OFF):
            continue
        if _core.close(got, first, 1e-8):
            hint = _STATEFUL_HINTS["first call"]
        else:
            for mistake, hint in _STATEFUL_HINTS.items():
                if mistake != "first call" and _core.close(got, _wrong_second_call(mistake, chunk1, chunk2, *weights), 1e-8):
                    break
            else:
                _core.refuse_float32(STATEFUL_SECOND_CALL, where, [(got, want)], "the second call's outputs")
                first_wrong = int(_np.argmax(~_np.isclose(got, want, rtol=_core.ROUND_OFF, atol=_core.ROUND_OFF).all(axis=(0, 2))))
                if first_wrong == 0:
                    hint = (
                        "your outputs differ from the first step of chunk 2 on. Compute by hand, for one sample, "
                        "the state chunk 2 starts from and the first output, and compare with yours."
                    )
                else:
                    hint = (
                        f"your outputs first differ at step {first_wrong} of chunk 2 (counting from 0). Print your "
                        "state there and compare with a hand computation for one sample."
                    )
        raise _core.ExerciseFailed(STATEFUL_SECOND_CALL, f"{where}: {hint}")
    _core.passed(
        STATEFUL_SECOND_CALL,
        "every step of the second call matches a stateful Keras SimpleRNN + Dense, for every size tried "
        "(chunks of different lengths included).",
    )
