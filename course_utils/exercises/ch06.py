"""Checks for the exercises of chapter 6 (GRU)."""

from __future__ import annotations

from typing import Callable

import numpy as np

from ._core import ExerciseFailed, attempt, passed

STEP_AFTER = "Exercise 6.1"
STEP_BEFORE = "Exercise 6.2"
CUDNN = "Exercise 6.3"
#: Relative and absolute tolerance for "equal to float64 round-off" (np.allclose's default rtol is 1e-5).
ROUND_OFF = 1e-10


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-z))


def _gru_parts(x, h, kernel, recurrent_kernel, bias, reset_after=True):
    """Update gate z and candidate state, as Keras computes them; blocks in the order z, r, h."""
    units = h.shape[-1]
    if reset_after:
        xz = x @ kernel + bias[0]
        hz = h @ recurrent_kernel + bias[1]
        z = _sigmoid(xz[:, :units] + hz[:, :units])
        r = _sigmoid(xz[:, units:2 * units] + hz[:, units:2 * units])
        candidate = np.tanh(xz[:, 2 * units:] + r * hz[:, 2 * units:])
    else:
        xz = x @ kernel + bias
        hz = h @ recurrent_kernel[:, :2 * units]
        z = _sigmoid(xz[:, :units] + hz[:, :units])
        r = _sigmoid(xz[:, units:2 * units] + hz[:, units:])
        candidate = np.tanh(xz[:, 2 * units:] + (r * h) @ recurrent_kernel[:, 2 * units:])
    return z, candidate


def _gru_step_reference(x, h, kernel, recurrent_kernel, bias, reset_after=True):
    """One GRU step as Keras computes it (the tests pin this to Keras).

    With ``reset_after=True`` the bias has shape (2, 3 * units): an input bias
    and a recurrent bias, because the reset gate multiplies the recurrent term
    after its own bias is added. With ``reset_after=False`` it has shape (3 * units,).
    """
    z, candidate = _gru_parts(x, h, kernel, recurrent_kernel, bias, reset_after)
    return z * h + (1 - z) * candidate


def _gru_case(reset_after: bool, seed: int = 11, batch: int = 3, features: int = 2, units: int = 4):
    rng = np.random.default_rng(seed)
    bias_shape = (2, 3 * units) if reset_after else (3 * units,)
    return (
        rng.normal(size=(batch, features)),
        rng.normal(size=(batch, units)) * 0.8,
        rng.normal(size=(features, 3 * units)) * 0.7,
        rng.normal(size=(units, 3 * units)) * 0.7,
        rng.normal(size=bias_shape) * 0.5,
    )


def _check_step(exercise: str, gru_step: Callable, reset_after: bool) -> None:
    case = _gru_case(reset_after)
    got = np.asarray(attempt(exercise, gru_step, *(a.copy() for a in case)), dtype=float)
    want = _gru_step_reference(*case, reset_after=reset_after)
    if got.shape != want.shape:
        raise ExerciseFailed(exercise, f"h_new should have shape (batch, units) = {want.shape}, got {got.shape}.")
    if np.allclose(got, want, rtol=ROUND_OFF, atol=ROUND_OFF):  # "float64 round-off", as the message says
        return
    z, candidate = _gru_parts(*case, reset_after=reset_after)
    if np.allclose(got, (1 - z) * case[1] + z * candidate):
        raise ExerciseFailed(exercise, "z and 1 - z are swapped: in Keras, z is the share of the OLD state kept, h_new = z * h + (1 - z) * candidate.")
    units = case[1].shape[-1]
    if reset_after:
        x, h, kernel, recurrent_kernel, bias = case
        no_recurrent_bias = _gru_step_reference(x, h, kernel, recurrent_kernel, np.stack([bias[0], 0 * bias[1]]))
        if np.allclose(got, no_recurrent_bias):
            raise ExerciseFailed(exercise, "the recurrent bias (bias[1]) is missing: with reset_after=True it is added to h @ recurrent_kernel before the reset gate multiplies it.")
        merged = bias[0] + bias[1]
        xz, hz = x @ kernel + merged, h @ recurrent_kernel
        z, r = _sigmoid(xz[:, :units] + hz[:, :units]), _sigmoid(xz[:, units:2 * units] + hz[:, units:2 * units])
        if np.allclose(got, z * h + (1 - z) * np.tanh(xz[:, 2 * units:] + r * hz[:, 2 * units:])):
            raise ExerciseFailed(exercise, "for the candidate, the recurrent bias goes inside the reset gate's product: r * (h @ U_h + b_rec), not next to the input bias.")
    else:
        x, h, kernel, recurrent_kernel, bias = case
        as_after = _gru_step_reference(x, h, kernel, recurrent_kernel, np.stack([bias, np.zeros_like(bias)]), reset_after=True)
        if np.allclose(got, as_after):
            raise ExerciseFailed(exercise, "you apply the reset gate after the matrix product (that is reset_after=True); here it multiplies h first: (r * h) @ U_h.")
    raise ExerciseFailed(exercise, "compute z, r and the candidate one at a time and compare with the equations in the chapter; Keras orders the blocks z, r, h.")


def check_gru_step(gru_step: Callable) -> None:
    """GRU step with reset_after=True (Keras's default, the cuDNN one)."""
    _check_step(STEP_AFTER, gru_step, reset_after=True)
    passed(STEP_AFTER, "your step matches Keras's GRU (reset_after=True) to float64 round-off.")


def check_gru_step_reset_before(gru_step_reset_before: Callable) -> None:
    """GRU step with reset_after=False (the original GRU of Cho et al., 2014)."""
    _check_step(STEP_BEFORE, gru_step_reset_before, reset_after=False)
    passed(STEP_BEFORE, "your step matches Keras's GRU(reset_after=False): the reset gate scales the old state before U_h.")


# ---------------------------------------------------------------- 6.3 a cuDNN-ready layer


def check_cudnn_ready(make_cudnn_ready: Callable) -> None:
    """The learner turns layer settings that block cuDNN into ones that qualify, keeping everything else."""
    import keras

    from ..gpu import cudnn_blockers

    cases = [
        ("GRU", {"units": 16, "recurrent_dropout": 0.2, "return_sequences": True}),
        ("GRU", {"units": 8, "reset_after": False, "dropout": 0.1}),
        ("LSTM", {"units": 12, "activation": "relu", "unroll": True}),
        ("LSTM", {"units": 4, "recurrent_activation": "hard_sigmoid", "use_bias": False, "return_state": True}),
    ]
    for kind, settings in cases:
        got = attempt(CUDNN, make_cudnn_ready, dict(settings))
        if not isinstance(got, dict):
            raise ExerciseFailed(CUDNN, f"return a dict of layer arguments, got {type(got).__name__}.")
        try:
            layer = getattr(keras.layers, kind)(**got)
        except (TypeError, ValueError) as error:
            raise ExerciseFailed(CUDNN, f"keras.layers.{kind}(**your_dict) failed: {error}") from None
        blockers = cudnn_blockers(layer)
        if blockers:
            raise ExerciseFailed(CUDNN, f"for {kind}({settings}) your settings still block cuDNN: {'; '.join(blockers)}.")
        for key in ("units", "dropout", "return_sequences", "return_state"):
            if key in settings and got.get(key) != settings[key]:
                raise ExerciseFailed(
                    CUDNN, f"you changed {key}={settings[key]!r}; it does not block cuDNN, so keep what the modeller chose."
                )
    passed(CUDNN, "only the blocking settings changed; units, input dropout and return options are kept.")
