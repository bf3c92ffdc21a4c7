"""Shape checks that explain a mismatch in words (chapters 1 and 2).

Write ``check_shape(x, (batch, steps, features))`` right where a shape matters;
``None`` in the expected shape means "any size on this axis".
"""

from __future__ import annotations

from typing import Any, Sequence

import numpy as np

AXIS_NAMES_3D = ("samples", "time steps", "features")


def _shape_of(value: Any, name: str) -> tuple[int | None, ...]:
    shape = getattr(value, "shape", None)
    if shape is None:
        raise TypeError(
            f"{name} must be an array or tensor with a .shape, got {type(value).__name__}."
        )
    try:
        dims = tuple(shape.as_list() if hasattr(shape, "as_list") else shape)
        return tuple(None if d is None else int(d) for d in dims)
    except (TypeError, ValueError):
        raise TypeError(f"{name} must have a known shape of whole numbers, got shape {shape!r}.") from None


def _dimensions(shape: Any, name: str) -> tuple[int | None, ...]:
    """A shape as a tuple of positive ints or None (any size), refusing strings, negatives and zeros."""
    from .validation import require_int, require_sized

    if hasattr(shape, "as_list"):  # a TensorShape
        try:
            shape = shape.as_list()
        except ValueError:
            raise ValueError(f"{name} has an unknown number of axes; give a tuple of ints or None.") from None
    shape = require_sized(shape, name, what="sizes (ints or None)")
    return tuple(None if d is None else require_int(d, f"{name}[{i}]") for i, d in enumerate(shape))


def describe_shape(shape: Sequence[int | None]) -> str:
    """Name each axis of a 3D shape, e.g. '(samples=32, time steps=20, features=1)' (chapter 2)."""
    shape = _dimensions(shape, "shape")
    if len(shape) != 3:
        return str(shape)
    parts = [f"{axis}={'any' if d is None else d}" for axis, d in zip(AXIS_NAMES_3D, shape)]
    return "(" + ", ".join(parts) + ")"


def _hint(got: tuple, expected: tuple) -> str:
    if len(expected) == 3 and len(got) == 2:
        return " Add the feature axis, e.g. x[..., np.newaxis] or x.reshape(*x.shape, 1)."
    if len(expected) == 2 and len(got) == 3 and got[-1] == 1:
        return " Drop the trailing feature axis, e.g. x[..., 0] or x.squeeze(-1)."
    if len(expected) == len(got) == 3 and sorted(map(str, got)) == sorted(map(str, expected)):
        return " The axes look swapped: recurrent layers want (samples, time steps, features)."
    return ""


def check_shape(value: Any, expected: Sequence[int | None], name: str = "array") -> None:
    """Raise a ValueError in words when ``value.shape`` does not match ``expected`` (chapter 1)."""
    if not isinstance(expected, (tuple, list)):
        raise TypeError(f"expected must be a tuple of ints or None, got {type(expected).__name__}.")
    expected = _dimensions(expected, "expected")
    got = _shape_of(value, name)
    matches = len(got) == len(expected) and all(
        e is None or g == e for g, e in zip(got, expected)
    )
    if not matches:
        wanted = describe_shape(expected) if len(expected) == 3 else str(expected)
        raise ValueError(
            f"{name} has shape {got} but {wanted} was expected.{_hint(got, expected)}"
        )


def _model_shape(model: Any, attribute: str) -> tuple[int | None, ...]:
    shape = getattr(model, attribute, None)
    if shape is None or isinstance(shape, list):
        raise TypeError(
            f"model must be a built Keras model with a single {attribute.split('_')[0]}, "
            f"got {type(model).__name__}."
        )
    return tuple(shape)


def check_model_input(model: Any, x: Any, name: str = "x") -> None:
    """Explain in words why ``x`` does not fit ``model``'s input, axis by axis (chapter 2)."""
    expected = _model_shape(model, "input_shape")
    got = _shape_of(x, name)
    if len(got) != len(expected):
        raise ValueError(
            f"{name} has shape {got} but the model takes {describe_shape(expected)}."
            f"{_hint(got, expected)}"
        )
    problems = []
    if len(expected) != 3:
        problems = [f"axis {i} has {g} entries, the model takes {e}" for i, (g, e) in enumerate(zip(got, expected))
                    if i > 0 and e is not None and g != e]
    if expected[0] is not None and got[0] != expected[0]:
        problems.append(
            f"the model was built for batches of exactly {expected[0]} samples (a stateful model), "
            f"got {got[0]}: feed {expected[0]} sequences at a time"
        )
    if len(expected) == 3:
        if expected[1] is not None and got[1] != expected[1]:
            problems.append(
                f"the model was built for {expected[1]} time steps, got {got[1]}: cut windows of "
                f"{expected[1]} steps, or build it with keras.Input(shape=(None, {expected[2]})) if its "
                "layers allow any length"
            )
        if expected[2] is not None and got[2] != expected[2]:
            problems.append(
                f"the model reads {expected[2]} feature(s) per time step, got {got[2]}: "
                "features are the last axis"
            )
    if problems:
        raise ValueError(f"{name} has shape {got}, which does not fit the model: " + "; ".join(problems) + ".")


def check_targets(model: Any, y: Any, name: str = "y") -> None:
    """Refuse targets whose shape Keras would broadcast silently or reject obscurely (chapter 2)."""
    output = _model_shape(model, "output_shape")
    got = _shape_of(y, name)
    if len(got) == len(output) and all(o is None or o == g for o, g in zip(output[1:], got[1:])):
        return
    hint = ""
    if len(output) == 3 and len(got) == 2:
        hint = (
            " The model predicts one value per time step (return_sequences=True on the last recurrent "
            "layer); use sequence targets, or set return_sequences=False to predict once per window."
        )
    elif len(output) == 2 and len(got) == 3:
        hint = " The model predicts one vector per window; drop the time axis of the targets or return sequences."
    elif len(output) == len(got) == 3 and output[1] not in (None, got[1]):
        hint = f" The targets have {got[1]} time steps but the outputs {output[1]}: cut both from the same windows."
    elif len(output) == len(got) == 2:
        hint = f" Make the last layer Dense({got[1]}) to predict {got[1]} values, or cut targets of {output[1]}."
    raise ValueError(
        f"{name} has shape {got} but the model outputs {output} (None = any number of samples)."
        f"{hint}"
    )


def conv1d_output_length(
    length: int, kernel_size: int, stride: int = 1, padding: str = "valid", dilation: int = 1
) -> int:
    """Number of time steps a Conv1D layer returns, explaining a kernel longer than the sequence (chapter 2)."""
    from .validation import require_int

    length = require_int(length, "length")
    kernel_size = require_int(kernel_size, "kernel_size")
    stride = require_int(stride, "stride")
    dilation = require_int(dilation, "dilation")
    if stride > 1 and dilation > 1:
        raise ValueError(f"stride={stride} with dilation={dilation}: Keras's Conv1D refuses strides > 1 with "
                         "dilation_rate > 1; use one or the other.")
    if not isinstance(padding, str) or padding not in ("valid", "same", "causal"):
        raise ValueError(f"padding must be 'valid', 'same' or 'causal', got {padding!r}.")
    span = dilation * (kernel_size - 1) + 1
    if padding in ("same", "causal"):
        return -(-length // stride)  # ceil(length / stride)
    if span > length:
        raise ValueError(
            f"a kernel spanning {span} time steps does not fit in a sequence of {length}: with "
            "padding='valid' the output would have no time steps. Use a smaller kernel_size, "
            "padding='same', or check that time steps are on axis 1 (samples, time steps, features)."
        )
    return (length - span) // stride + 1
