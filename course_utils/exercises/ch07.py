"""Checks for the exercises of chapter 7 (1D convolutions).

Every check runs the learner's function on several configurations: fixed ones
chosen so that each plausible shortcut fails, and random ones drawn afresh on
every call. Keras computes or measures the right answer (an output length, the
impulse response of a stack, a causal convolution); only the names ``check_*``
and the exercise ids are public.
"""

import math as _math

import numpy as _np

from . import _core

OUTPUT_LENGTH = "Exercise 7.1"
RECEPTIVE_FIELD = "Exercise 7.2"
CAUSAL = "Exercise 7.3"

_FLOATS = (float, _np.float16, _np.float32, _np.float64)


# ---------------------------------------------------------------- 7.1 output length


def _keras_length(length: int, kernel_size: int, strides: int, padding: str, dilation_rate: int) -> int:
    import keras

    layer = keras.layers.Conv1D(1, kernel_size, strides=strides, padding=padding, dilation_rate=dilation_rate)
    return int(layer.compute_output_shape((None, length, 1))[1])


def _length_mistakes(n: int, k: int, s: int, padding: str, d: int) -> list[tuple[int, str]]:
    if padding == "valid":
        return [
            ((n - k) // s + 1, "A dilated kernel spans more than kernel_size steps: count the gaps between its taps too."),
            ((n - d * k) // s + 1, "A dilated kernel's gaps lie between its taps, not after the "
                                   "last one: count them again."),
            (-(-(n - d * (k - 1) - 1) // s) + 1, "Round down: a window that does not fit is dropped."),
            (n - d * (k - 1), "The stride still skips start positions: keep every `strides`-th."),
            ((n - d * (k - 1) - 1) // s, "Count the first window too: add one."),
            (n, "With padding='valid' nothing is padded: the kernel's span costs start positions."),
        ]
    return [
        (n, "Padding keeps every start position, but the stride still skips some: keep every `strides`-th, starting with the first."),
        (n // s, "Round up: the last, partial stride still starts a window."),
        ((n - d * (k - 1) - 1) // s + 1, f"With padding={padding!r} the sequence is padded, so no start position is lost to the kernel's span."),
        ((n - k) // s + 1, f"With padding={padding!r} the sequence is padded, so no start position is lost to the kernel's span."),
    ]


def check_output_length(output_length: "Callable") -> None:
    """Compare the learner's Conv1D output length with Keras's compute_output_shape, over many settings."""
    rng = _core.fresh_rng()
    cases = [
        (50, 3, 2, "valid", 1), (50, 2, 1, "valid", 4), (51, 4, 3, "valid", 1), (23, 3, 1, "valid", 3),
        (50, 7, 3, "same", 1), (7, 2, 3, "same", 1), (29, 2, 1, "causal", 8), (31, 3, 4, "causal", 1),
        (9, 1, 2, "valid", 1), (12, 4, 1, "same", 2), (40, 6, 5, "valid", 1),
    ]
    while len(cases) < 14:
        padding = str(rng.choice(["valid", "same", "causal"]))
        kernel_size = int(rng.integers(1, 7))
        strides, dilation = (int(rng.integers(1, 6)), 1) if rng.random() < 0.5 else (1, int(rng.integers(1, 6)))
        length = int(rng.integers(dilation * (kernel_size - 1) + 1, 90))
        cases.append((length, kernel_size, strides, padding, dilation))
    for length, kernel_size, strides, padding, dilation in cases:
        where = (f"for length={length}, kernel_size={kernel_size}, strides={strides}, padding={padding!r}, "
                 f"dilation_rate={dilation}")
        got = _core.in_case(OUTPUT_LENGTH, where, _core.attempt, output_length, length, kernel_size, strides, padding, dilation)
        if type(got) in _FLOATS:
            hint = ("A window that does not fit is dropped, and a partial stride at the end of a padded sequence still "
                    "starts one: round, with // or math.ceil, which return ints." if not float(got).is_integer()
                    else "Use // (floor division) or math.ceil, which return ints, rather than /, which gives a float.")
            raise _core.ExerciseFailed(OUTPUT_LENGTH, f"{where}: a number of time steps is a whole number (int), got float {got!r}. {hint}")
        got = _core.in_case(OUTPUT_LENGTH, where, _core.whole_number, got, "the number of time steps")
        want = _keras_length(length, kernel_size, strides, padding, dilation)
        if got == want:
            continue
        message = f"{where} you return {got}, but Keras gives {want}."
        for value, hint in _length_mistakes(length, kernel_size, strides, padding, dilation):
            if got == value:
                raise _core.ExerciseFailed(OUTPUT_LENGTH, f"{message} {hint}")
        raise _core.ExerciseFailed(OUTPUT_LENGTH, f"{message} Count the positions where the (dilated) kernel fits, then keep every `strides`-th.")
    _core.passed(OUTPUT_LENGTH, "your formula agrees with Keras for valid, same and causal padding, with strides and dilation.")


# ---------------------------------------------------------------- 7.2 receptive field


def _measured_field(kernel_size: int, dilations: list[int]) -> int:
    """The span of input steps one output sees, measured: the impulse response of the stack with all-ones kernels.

    With positive kernels nothing cancels, so the response is non-zero exactly
    where an input step reaches an output; the receptive field runs from the
    first such step to the last, gaps between dilated taps included. The input
    is long enough to hold the whole response.
    """
    import keras

    signal = _np.zeros((1, 1 + kernel_size * sum(dilations), 1))
    signal[0, 0, 0] = 1.0
    for dilation in dilations:
        layer = keras.layers.Conv1D(1, kernel_size, padding="causal", dilation_rate=dilation, use_bias=False,
                                    kernel_initializer="ones", dtype="float64")
        signal = _np.asarray(layer(signal))
    reached = _np.flatnonzero(signal.reshape(-1))
    return int(reached[-1] - reached[0] + 1)


def _field_mistakes(k: int, dilations: list[int], want: int) -> list[tuple[int, str]]:
    return [
        (want - 1, "Count the current step too: a stack of kernel size 1 sees 1 step."),
        (sum(k * d for d in dilations), "Each layer adds (kernel_size - 1) * dilation steps of history, not kernel_size * dilation."),
        (1 + sum(k * d for d in dilations), "Each layer adds (kernel_size - 1) * dilation steps of history, not kernel_size * dilation."),
        (k * _math.prod(dilations), "Receptive fields add up over layers; they do not multiply."),
        (1 + (k - 1) * max(dilations), "Every layer widens the field, not only the most dilated one: add them all up."),
        (1 + (k - 1) * dilations[-1], "Every layer widens the field, not only the last one: add them all up."),
    ]


def check_receptive_field(receptive_field: "Callable") -> None:
    """Receptive field of a stack of causal convolutions, measured with Keras for several stacks."""
    rng = _core.fresh_rng()
    cases = [(3, [4, 1, 2]), (2, [1, 2, 4, 8]), (4, [1, 3, 9]), (3, [2, 1]), (5, [2]), (1, [2, 5]), (2, [1, 2, 4, 8] * 2), (3, [1, 1, 6, 2])]
    while len(cases) < 10:
        cases.append((int(rng.integers(1, 6)), [int(d) for d in rng.integers(1, 7, size=int(rng.integers(1, 6)))]))
    for kernel_size, dilations in cases:
        where = f"for kernel_size={kernel_size} and dilation rates {dilations}"
        got = _core.in_case(RECEPTIVE_FIELD, where, _core.attempt, receptive_field, kernel_size, list(dilations))
        got = _core.in_case(RECEPTIVE_FIELD, where, _core.whole_number, got, "the receptive field")
        want = _measured_field(kernel_size, dilations)
        if got == want:
            continue
        message = f"{where} you return {got}, but one output of the stack sees a span of {want} input steps."
        other_kernel = kernel_size + 1
        probe = f"for kernel_size={other_kernel} and dilation rates {dilations}"
        again = _core.in_case(RECEPTIVE_FIELD, probe, _core.attempt, receptive_field, other_kernel, list(dilations))
        if _core.in_case(RECEPTIVE_FIELD, probe, _core.whole_number, again, "the receptive field") == got:
            raise _core.ExerciseFailed(RECEPTIVE_FIELD, f"{message} Your answer does not change with kernel_size: use the argument, not a fixed number.")
        other_dilations = [d + 1 for d in dilations]
        probe = f"for kernel_size={kernel_size} and dilation rates {other_dilations}"
        again = _core.in_case(RECEPTIVE_FIELD, probe, _core.attempt, receptive_field, kernel_size, list(other_dilations))
        if kernel_size > 1 and _core.in_case(RECEPTIVE_FIELD, probe, _core.whole_number, again, "the receptive field") == got:
            raise _core.ExerciseFailed(RECEPTIVE_FIELD, f"{message} Your answer does not change with the dilation rates: each layer's rate sets how far back its taps reach.")
        for value, hint in _field_mistakes(kernel_size, dilations, want):
            if got == value:
                raise _core.ExerciseFailed(RECEPTIVE_FIELD, f"{message} {hint}")
        raise _core.ExerciseFailed(RECEPTIVE_FIELD, f"{message} Follow one output back through the layers, one layer at a time.")
    _core.passed(RECEPTIVE_FIELD, "your receptive fields match what Keras's stacks see, for every kernel size and set of dilations.")


# ---------------------------------------------------------------- 7.3 causal convolution


def _keras_causal(x: _np.ndarray, kernel: _np.ndarray, dilation: int, padding: str = "causal") -> _np.ndarray:
    """Keras's float64 Conv1D with one filter, no bias and the given kernel, on a 1D series."""
    import keras

    layer = keras.layers.Conv1D(1, len(kernel), padding=padding, dilation_rate=dilation, use_bias=False, dtype="float64")
    layer.build((None, len(x), 1))
    layer.set_weights([kernel.reshape(-1, 1, 1)])
    return _np.asarray(layer(x.reshape(1, -1, 1))).reshape(-1)


def check_causal_conv(causal_conv: "Callable") -> None:
    """The learner's causal convolution in NumPy must match Keras's float64 Conv1D and never look at the future."""
    rng = _core.fresh_rng()
    cases = [(12, 3, 1), (11, 4, 2), (15, 2, 3), (9, 5, 1), (7, 1, 4), (6, 3, 4)]
    while len(cases) < 8:
        kernel_size, dilation = int(rng.integers(1, 6)), int(rng.integers(1, 5))
        cases.append((int(rng.integers(kernel_size + 1, 25)), kernel_size, dilation))
    right_for = None
    for length, kernel_size, dilation in cases:
        where = f"for len(x)={length}, kernel size {kernel_size}, dilation={dilation}"
        fixed_size = (
            f" It was right {right_for}: is a size fixed in your code? Take the kernel size and the "
            "length from the arrays you are given." if right_for else ""
        )
        x, kernel = rng.normal(size=length), rng.normal(size=kernel_size)
        got = _core.in_case(CAUSAL, where, _core.attempt, causal_conv, x.copy(), kernel.copy(), dilation, also=fixed_size)
        got = _core.in_case(CAUSAL, where, _core.real_array, got, "your output")
        if got.shape != (length,):
            raise _core.ExerciseFailed(
                CAUSAL, f"{where} you return shape {got.shape}; causal padding keeps the length: ({length},). "
                "Pad dilation * (kernel_size - 1) zeros on the left." + (f" It was right {right_for}." if right_for else "")
            )
        want = _keras_causal(x, kernel, dilation)
        if _core.close(got, want):
            right_for = right_for or where
            continue
        _core.refuse_float32(CAUSAL, where, [(got, want)], "Keras's float64 Conv1D", inputs="x and kernel")
        if kernel_size > 1 and _core.close(got, _keras_causal(x, kernel[::-1], dilation), 1e-6):
            raise _core.ExerciseFailed(CAUSAL, f"{where}: your kernel is flipped: Keras computes a cross-correlation, kernel[0] multiplies the oldest step of the window.")
        if dilation > 1 and _core.close(got, _keras_causal(x, kernel, 1), 1e-6):
            raise _core.ExerciseFailed(CAUSAL, f"{where}: your output ignores the dilation: the taps are `dilation` steps apart.")
        future = x.copy()
        future[-1] += 100.0
        moved = _core.in_case(CAUSAL, where, _core.attempt, causal_conv, future, kernel.copy(), dilation)
        moved = _core.in_case(CAUSAL, where, _core.real_array, moved, "your output")
        if moved.shape != got.shape or not _core.close(moved[:-1], got[:-1]):
            raise _core.ExerciseFailed(CAUSAL, f"{where}: changing the last input changed earlier outputs: your convolution looks into the future. Pad on the left only.")
        raise _core.ExerciseFailed(
            CAUSAL, f"{where}: your output differs from Keras's.{fixed_size}" if fixed_size else
            f"{where}: your output differs from Keras's; print both for x = [1, 0, 0, ...] (an impulse)."
        )
    _core.passed(CAUSAL, "left padding only: each output depends on the present and the past, exactly like Keras's padding='causal'.")


# ---------------------------------------------------------------- 7.4 targets for a convolution's outputs

ALIGNED = "Exercise 7.4"


def _last_seen(length: int, kernel_size: int, strides: int, padding: str, dilation_rate: int) -> _np.ndarray:
    """For each output step of a Keras Conv1D, the last input step it sees, measured with impulses: input t is
    seen by output j exactly when an impulse at t moves output j (all-ones kernel, so nothing cancels)."""
    import keras

    layer = keras.layers.Conv1D(1, kernel_size, strides=strides, padding=padding, dilation_rate=dilation_rate,
                                use_bias=False, kernel_initializer="ones", dtype="float64")
    impulses = _np.eye(length)[:, :, None]                       # sample t: an impulse at input step t
    seen = _np.asarray(layer(impulses))[:, :, 0] != 0            # (input step, output step)
    return _np.array([int(_np.flatnonzero(seen[:, j]).max()) for j in range(seen.shape[1])])


def _aligned_mistakes(L: int, k: int, s: int, padding: str, d: int) -> list[tuple[_np.ndarray, str]]:
    span = d * (k - 1)
    mistakes = []
    if padding == "valid":
        mistakes += [
            (_np.arange(0, L - span, s), "output j's window starts at input j * strides and ends where its last "
                                         "(dilated) tap falls: its target is that of the window's last step."),
            (_np.arange(k - 1, k - 1 + L - span, s) if d > 1 else None,     # as if undilated
             "a dilated window spans more than kernel_size steps: its taps are dilation_rate steps apart."),
        ]
    else:
        mistakes += [(_np.arange(span, L, s), "with padding='causal' the zeros go before the input, so output j's "
                                              "window ends at input j * strides: its own step, not later.")]
    last = _np.arange(span, L, s) if padding == "valid" else _np.arange(0, L, s)
    mistakes += [
        (last + 1, "one step late: the target of output j is the one of the last input step it sees, not the next."),
        (last - 1, "one step early: that target starts with a value the output has already seen."),
        (_np.arange(last[0], L), "one row per output of the convolution: keep every `strides`-th step."),
    ]
    # A slice stops at the end of the sequence: keep the steps that exist, as Y[:, start::step] would.
    return [(idx[idx < L], hint) for idx, hint in mistakes if idx is not None and idx.min() >= 0 and (idx < L).any()]


def check_aligned_targets(aligned_targets: "Callable") -> None:
    """Every-step targets cut to a Conv1D's outputs, compared with the last input step Keras's layer lets each see."""
    rng = _core.fresh_rng()
    cases = [(20, 4, 2, "valid", 1), (21, 3, 3, "valid", 1), (16, 2, 1, "valid", 4), (12, 5, 1, "valid", 1),
             (15, 3, 2, "causal", 1), (10, 2, 1, "causal", 3), (9, 1, 2, "valid", 1)]
    while len(cases) < 10:
        k, padding = int(rng.integers(1, 6)), str(rng.choice(["valid", "causal"]))
        s, d = (int(rng.integers(1, 5)), 1) if rng.random() < 0.5 else (1, int(rng.integers(1, 4)))
        cases.append((int(rng.integers(d * (k - 1) + 2, 30)), k, s, padding, d))
    right_for = None
    for length, k, s, padding, d in cases:
        batch, horizon = int(rng.integers(1, 4)), int(rng.integers(1, 5))
        where = (f"for Y of shape {(batch, length, horizon)}, kernel_size={k}, strides={s}, padding={padding!r}, "
                 f"dilation_rate={d}")
        fixed = f" It was right {right_for}: is a size fixed in your code?" if right_for else ""
        # Readable values: Y[i, t, h] = 1000 i + 10 t + h, so a wrong step shows in the numbers.
        Y = (1000.0 * _np.arange(batch)[:, None, None] + 10.0 * _np.arange(length)[None, :, None]
             + _np.arange(horizon)[None, None, :])
        got = _core.in_case(ALIGNED, where, _core.attempt, aligned_targets, Y.copy(), k, s, padding, d, also=fixed)
        got = _core.in_case(ALIGNED, where, _core.real_array, got, "your targets")
        want = Y[:, _last_seen(length, k, s, padding, d)]
        if got.shape == want.shape and _core.close(got, want):
            right_for = right_for or where
            continue
        message = (f"{where} you return shape {got.shape}; the convolution has {want.shape[1]} output steps, so "
                   f"expected {want.shape}.")
        for idx, hint in _aligned_mistakes(length, k, s, padding, d):
            if got.shape == (batch, len(idx), horizon) and _core.close(got, Y[:, idx]):
                raise _core.ExerciseFailed(ALIGNED, f"{message} Your rows are the targets of input steps "
                                                    f"{idx[:4].tolist()}...; {hint}{fixed}")
        if got.shape == want.shape:
            j = int(_np.argwhere(~_np.isclose(got, want))[0][1])
            raise _core.ExerciseFailed(
                ALIGNED, f"{message} Row {j} should be the target of input step {int(want[0, j, 0] // 10 % 100)}, "
                f"the last one output {j} sees.{fixed}")
        raise _core.ExerciseFailed(ALIGNED, f"{message} Take one step per output: the last input step each output "
                                            f"sees, from the first output to the last.{fixed}")
    _core.passed(ALIGNED, "each output of the convolution forecasts what follows the last input it sees: "
                          "no target it has already seen, none it could not yet know.")
