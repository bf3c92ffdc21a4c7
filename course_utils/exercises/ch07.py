"""Checks for the exercises of chapter 7 (1D convolutions)."""

from __future__ import annotations

from typing import Callable

import numpy as np

from ._core import ExerciseFailed, attempt, passed

OUTPUT_LENGTH = "Exercise 7.1"
RECEPTIVE_FIELD = "Exercise 7.2"
CAUSAL = "Exercise 7.3"


def _reference_length(length, kernel_size, strides, padding, dilation_rate):
    span = dilation_rate * (kernel_size - 1) + 1
    if padding in ("same", "causal"):
        return -(-length // strides)
    return (length - span) // strides + 1


def check_output_length(output_length: Callable) -> None:
    """Compare the learner's Conv1D output length with the formula Keras follows, over many settings."""
    cases = [
        (50, 4, 2, "valid", 1), (50, 3, 1, "valid", 1), (50, 2, 1, "valid", 4), (51, 4, 2, "valid", 1),
        (50, 5, 3, "same", 1), (50, 2, 1, "causal", 8), (10, 3, 1, "valid", 3), (7, 2, 3, "same", 1),
    ]
    for length, kernel, strides, padding, dilation in cases:
        got = attempt(OUTPUT_LENGTH, output_length, length, kernel, strides, padding, dilation)
        want = _reference_length(length, kernel, strides, padding, dilation)
        if isinstance(got, bool) or not isinstance(got, (int, np.integer)):
            raise ExerciseFailed(OUTPUT_LENGTH, f"return a whole number (int), got {type(got).__name__} {got!r}.")
        if got == want:
            continue
        where = (f"for length={length}, kernel_size={kernel}, strides={strides}, padding={padding!r}, "
                 f"dilation_rate={dilation} you return {got}, but Keras gives {want}.")
        if padding == "valid" and got == (length - kernel) // strides + 1:
            raise ExerciseFailed(OUTPUT_LENGTH, f"{where} A dilated kernel spans dilation_rate * (kernel_size - 1) + 1 steps.")
        if padding == "valid" and got == (length - kernel) / strides + 1:
            raise ExerciseFailed(OUTPUT_LENGTH, f"{where} Round down: a window that does not fit is dropped.")
        if padding != "valid" and got == length:
            raise ExerciseFailed(OUTPUT_LENGTH, f"{where} Padding keeps every start position, but the stride still skips some: ceil(length / strides).")
        if padding != "valid" and got == _reference_length(length, kernel, strides, "valid", dilation):
            raise ExerciseFailed(OUTPUT_LENGTH, f"{where} With padding={padding!r} the sequence is padded, so no start position is lost to the kernel's span.")
        raise ExerciseFailed(OUTPUT_LENGTH, f"{where} Count the positions where the (dilated) kernel fits, then keep every `strides`-th.")
    passed(OUTPUT_LENGTH, "your formula agrees with Keras for valid, same and causal padding, with strides and dilation.")


def check_receptive_field(receptive_field: Callable) -> None:
    """Receptive field of a stack of causal convolutions: 1 + sum of (kernel_size - 1) * dilation."""
    cases = [(2, [1, 2, 4, 8]), (2, [1, 2, 4, 8] * 2), (3, [1, 1]), (2, [1]), (4, [1, 3, 9])]
    for kernel, dilations in cases:
        got = attempt(RECEPTIVE_FIELD, receptive_field, kernel, list(dilations))
        want = 1 + sum((kernel - 1) * d for d in dilations)
        if isinstance(got, bool) or not isinstance(got, (int, np.integer)):
            raise ExerciseFailed(RECEPTIVE_FIELD, f"return a whole number (int), got {type(got).__name__} {got!r}.")
        if got == want:
            continue
        where = f"for kernel_size={kernel} and dilation rates {dilations} you return {got}, but the stack sees {want} steps."
        if got == want - 1:
            raise ExerciseFailed(RECEPTIVE_FIELD, f"{where} Count the current step too: a stack of kernel size 1 sees 1 step.")
        if got == sum(kernel * d for d in dilations):
            raise ExerciseFailed(RECEPTIVE_FIELD, f"{where} Each layer adds (kernel_size - 1) * dilation steps of history, not kernel_size * dilation.")
        if got == kernel * int(np.prod(dilations)):
            raise ExerciseFailed(RECEPTIVE_FIELD, f"{where} Receptive fields add up over layers; they do not multiply.")
        raise ExerciseFailed(RECEPTIVE_FIELD, f"{where} Follow one output back through the layers, one layer at a time.")
    passed(RECEPTIVE_FIELD, "1 + sum((kernel_size - 1) * dilation): doubling dilations double the history per layer.")


def _causal_conv_reference(x: np.ndarray, kernel: np.ndarray, dilation: int = 1) -> np.ndarray:
    """Keras's Conv1D(padding="causal") with one filter and no bias, on a 1D series (the tests pin this to Keras)."""
    k = len(kernel)
    padded = np.concatenate([np.zeros(dilation * (k - 1)), x])
    return np.array([sum(kernel[j] * padded[t + j * dilation] for j in range(k)) for t in range(len(x))])


def check_causal_conv(causal_conv: Callable) -> None:
    """The learner's causal convolution in NumPy must match Keras and never look at the future."""
    rng = np.random.default_rng(4)
    x, kernel = rng.normal(size=12), rng.normal(size=3)
    for dilation in (1, 2):
        got = np.asarray(attempt(CAUSAL, causal_conv, x.copy(), kernel.copy(), dilation), dtype=float)
        want = _causal_conv_reference(x, kernel, dilation)
        if got.shape != want.shape:
            raise ExerciseFailed(
                CAUSAL, f"with dilation={dilation} you return shape {got.shape}; causal padding keeps the length: {want.shape}. "
                "Pad dilation * (kernel_size - 1) zeros on the left."
            )
        if np.allclose(got, want):
            continue
        if np.allclose(got, _causal_conv_reference(x, kernel[::-1], dilation)):
            raise ExerciseFailed(CAUSAL, "your kernel is flipped: Keras computes a cross-correlation, kernel[0] multiplies the oldest step of the window.")
        future = x.copy()
        future[-1] += 100.0
        moved = np.asarray(causal_conv(future, kernel.copy(), dilation), dtype=float)
        if not np.allclose(moved[:-1], got[:-1]):
            raise ExerciseFailed(CAUSAL, "changing the last input changed earlier outputs: your convolution looks into the future. Pad on the left only.")
        raise ExerciseFailed(CAUSAL, f"with dilation={dilation} your output differs from Keras's; print both for x = [1, 0, 0, ...] (an impulse).")
    passed(CAUSAL, "left padding only: each output depends on the present and the past, exactly like padding='causal'.")
