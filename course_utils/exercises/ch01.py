"""Checks for the exercises of chapter 1 (RNN fundamentals)."""

from __future__ import annotations

from typing import Callable

import numpy as np

from ._core import ExerciseFailed, attempt, passed

PARAM_COUNT = "Exercise 1.1"
LINEAR_RNN = "Exercise 1.2"
SEQ2VEC_GRADIENTS = "Exercise 1.3"


# ---------------------------------------------------------------- 1.1 parameter count


def check_param_count(simple_rnn_param_count: Callable[[int, int], int]) -> None:
    """Compare the learner's SimpleRNN parameter count with Keras's for several sizes."""
    for features, units in [(2, 4), (1, 3), (5, 16), (3, 32), (1, 1)]:  # first size tells the mistakes apart
        got = attempt(PARAM_COUNT, simple_rnn_param_count, features, units)
        if isinstance(got, bool) or not isinstance(got, (int, np.integer)):
            raise ExerciseFailed(PARAM_COUNT, f"return a whole number (int), got {type(got).__name__} {got!r}.")
        want = units * (features + units + 1)
        if got == want:
            continue
        where = f"for features={features}, units={units} you return {got}, but Keras counts {want}."
        if got == units * (features + units):
            raise ExerciseFailed(PARAM_COUNT, f"{where} The bias is missing: each unit has one.")
        if got == units * (features + 1):
            raise ExerciseFailed(
                PARAM_COUNT, f"{where} The recurrent kernel W_h is missing: it maps the state (units) to the state (units)."
            )
        if got == want + units + 1:
            raise ExerciseFailed(PARAM_COUNT, f"{where} Count the SimpleRNN layer only, not a Dense layer on top.")
        raise ExerciseFailed(
            PARAM_COUNT, f"{where} List the shapes of kernel, recurrent_kernel and bias and add up their sizes."
        )
    passed(PARAM_COUNT, "units * (features + units + 1) for every size tried, whatever the sequence length.")


# ---------------------------------------------------------------- 1.2 linear RNN by hand


def _rnn_outputs(x, W_x, W_h, b, W_y, b_y, activation=lambda a: a, recurrent=True):
    h = np.zeros((x.shape[0], W_h.shape[0]))
    outputs = []
    for t in range(x.shape[1]):
        h = activation(x[:, t] @ W_x + (h @ W_h if recurrent else 0) + b)
        outputs.append(h @ W_y + b_y)
    return np.stack(outputs, axis=1)


def _linear_rnn_case(seed: int = 11):
    rng = np.random.default_rng(seed)
    batch, steps, features, units = 3, 6, 2, 4
    x = rng.normal(size=(batch, steps, features))
    weights = (
        rng.normal(scale=0.5, size=(features, units)),
        rng.normal(scale=0.4, size=(units, units)),
        rng.normal(scale=0.1, size=units),
        rng.normal(scale=0.5, size=(units, 1)),
        rng.normal(scale=0.1, size=1),
    )
    return x, weights


def check_linear_rnn(linear_rnn_outputs: Callable[..., np.ndarray]) -> None:
    """Compare the learner's linear SimpleRNN + Dense forward pass with the reference, step by step."""
    x, weights = _linear_rnn_case()
    want = _rnn_outputs(x, *weights)
    got = attempt(LINEAR_RNN, linear_rnn_outputs, x.copy(), *(w.copy() for w in weights))
    if hasattr(got, "numpy"):
        got = got.numpy()
    if not isinstance(got, np.ndarray):
        raise ExerciseFailed(LINEAR_RNN, f"return a NumPy array, got {type(got).__name__}.")
    batch, steps = x.shape[:2]
    if got.shape != want.shape:
        if got.shape in ((batch, 1), (batch,)):
            hint = "you return only the last step. This model is sequence-to-sequence: one output per time step."
        elif got.shape == (batch, steps):
            hint = "add the output axis, e.g. np.stack(outputs, axis=1) of (batch, 1) arrays."
        elif got.shape == (steps, batch, 1):
            hint = "the time axis comes first; stack the per-step outputs along axis=1."
        else:
            hint = "stack one (batch, 1) output per time step along axis 1."
        raise ExerciseFailed(
            LINEAR_RNN, f"your outputs have shape {got.shape} but (batch, steps, 1) = {want.shape} was expected: {hint}"
        )
    if np.allclose(got, want, rtol=1e-6, atol=1e-8):
        passed(LINEAR_RNN, "every step matches a linear SimpleRNN + Dense, to rounding.")
        return
    W_x, W_h, b, W_y, b_y = weights
    if np.allclose(got, _rnn_outputs(x, *weights, activation=np.tanh), rtol=1e-6, atol=1e-8):
        hint = "your states go through tanh, but this exercise uses activation='linear': h_t = x_t W_x + h_{t-1} W_h + b."
    elif np.allclose(got, _rnn_outputs(x, *weights, recurrent=False), rtol=1e-6, atol=1e-8):
        hint = "each output depends only on its own input. Carry the state h from one step to the next."
    elif np.allclose(got, _rnn_outputs(x, W_x, W_h.T, b, W_y, b_y), rtol=1e-6, atol=1e-8):
        hint = "W_h is used transposed. Keras computes h_prev @ W_h (row vector times matrix)."
    else:
        first = int(np.argmax(~np.isclose(got, want, rtol=1e-6, atol=1e-8).all(axis=(0, 2))))
        hint = (
            f"your outputs first differ at time step {first} (counting from 0). "
            "Print your state there and compare with a hand computation for one sample."
        )
    raise ExerciseFailed(LINEAR_RNN, hint)


# ---------------------------------------------------------------- 1.3 BPTT for sequence-to-vector

GRADIENT_NAMES = ("W_x", "W_h", "b", "W_y", "b_y")


def _seq2vec_reference_gradients(x, y, W_x, W_h, b, W_y, b_y, *, recurrent_path=True, tanh_derivative=True):
    """BPTT gradients of mean((h_T W_y + b_y - y)**2) for a tanh SimpleRNN; flags build typical mistakes."""
    batch, steps, _ = x.shape
    h = np.zeros((batch, W_h.shape[0]))
    states, previous = [], []
    for t in range(steps):
        previous.append(h)
        h = np.tanh(x[:, t] @ W_x + h @ W_h + b)
        states.append(h)
    error = 2 * (h @ W_y + b_y - y) / y.size
    grads = {"W_y": h.T @ error, "b_y": error.sum(axis=0)}
    grads.update(W_x=np.zeros_like(W_x), W_h=np.zeros_like(W_h), b=np.zeros_like(b))
    d_state = error @ W_y.T
    for t in reversed(range(steps)):
        delta = d_state * (1 - states[t] ** 2) if tanh_derivative else d_state
        grads["W_x"] += x[:, t].T @ delta
        grads["W_h"] += previous[t].T @ delta
        grads["b"] += delta.sum(axis=0)
        if not recurrent_path:
            break
        d_state = delta @ W_h.T
    return grads


def _seq2vec_case(seed: int = 5):
    rng = np.random.default_rng(seed)
    batch, steps, features, units = 4, 5, 2, 3
    x = rng.normal(size=(batch, steps, features))
    y = rng.normal(size=(batch, 1))
    weights = (
        rng.normal(scale=0.6, size=(features, units)),
        rng.normal(scale=0.6, size=(units, units)),
        rng.normal(scale=0.1, size=units),
        rng.normal(scale=0.6, size=(units, 1)),
        rng.normal(scale=0.1, size=1),
    )
    return x, y, weights


def _all_close(a: dict, b: dict) -> bool:
    return all(np.allclose(a[k], b[k], rtol=1e-6, atol=1e-10) for k in GRADIENT_NAMES)


def check_seq2vec_gradients(seq2vec_gradients: Callable[..., dict]) -> None:
    """Compare the learner's sequence-to-vector BPTT gradients with the reference (itself tested against GradientTape)."""
    x, y, weights = _seq2vec_case()
    want = _seq2vec_reference_gradients(x, y, *weights)
    got = attempt(SEQ2VEC_GRADIENTS, seq2vec_gradients, x.copy(), y.copy(), *(w.copy() for w in weights))
    if not isinstance(got, dict):
        raise ExerciseFailed(SEQ2VEC_GRADIENTS, f"return a dict with keys {GRADIENT_NAMES}, got {type(got).__name__}.")
    missing = [k for k in GRADIENT_NAMES if k not in got]
    if missing:
        raise ExerciseFailed(SEQ2VEC_GRADIENTS, f"the dict lacks {missing}; return one gradient per weight {GRADIENT_NAMES}.")
    for k in GRADIENT_NAMES:
        shape = np.shape(got[k])
        if shape != want[k].shape:
            raise ExerciseFailed(
                SEQ2VEC_GRADIENTS,
                f"the gradient for {k} has shape {shape} but {k} itself has shape {want[k].shape}; "
                "a gradient always has the shape of its weight.",
            )
    got = {k: np.asarray(got[k], dtype=float) for k in GRADIENT_NAMES}
    if _all_close(got, want):
        passed(SEQ2VEC_GRADIENTS, "all five gradients match backpropagation through time.")
        return
    if _all_close(got, _seq2vec_reference_gradients(x, y, *weights, recurrent_path=False)):
        hint = (
            "your gradients only use the last time step. The loss depends on earlier steps through "
            "h_{t-1}: pass delta back with delta @ W_h.T and keep accumulating."
        )
    elif _all_close(got, _seq2vec_reference_gradients(x, y, *weights, tanh_derivative=False)):
        hint = "the tanh derivative is missing: multiply by (1 - h_t**2) at every step."
    else:
        ratios = [got[k] / want[k] for k in GRADIENT_NAMES if np.all(np.abs(want[k]) > 1e-12)]
        flat = np.concatenate([r.ravel() for r in ratios]) if ratios else np.array([])
        if flat.size and np.allclose(flat, flat[0], rtol=1e-6) and not np.isclose(flat[0], 1.0):
            hint = (
                f"every gradient is {flat[0]:.4g} times the right one. Check the factor 2 / N of the mean "
                "squared error, with N the number of predicted values."
            )
        elif np.allclose(got["W_y"], want["W_y"]) and np.allclose(got["b_y"], want["b_y"]):
            wrong = [k for k in ("W_x", "W_h", "b") if not np.allclose(got[k], want[k], rtol=1e-6, atol=1e-10)]
            hint = (
                f"W_y and b_y are right, but {wrong} are not: only the last state feeds the loss, "
                "so the backward pass starts from error @ W_y.T at the last step and has no output error at earlier steps."
            )
        else:
            hint = "start with W_y and b_y: they need only the last state h_T and the output error 2 (y_hat - y) / N."
    raise ExerciseFailed(SEQ2VEC_GRADIENTS, hint)
