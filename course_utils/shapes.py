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
    return tuple(None if d is None else int(d) for d in shape)


def describe_shape(shape: Sequence[int | None]) -> str:
    """Name each axis of a 3D shape, e.g. '(samples=32, time steps=20, features=1)' (chapter 2)."""
    shape = tuple(shape)
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
    expected = tuple(expected)
    got = _shape_of(value, name)
    matches = len(got) == len(expected) and all(
        e is None or g == e for g, e in zip(got, expected)
    )
    if not matches:
        wanted = describe_shape(expected) if len(expected) == 3 else str(expected)
        raise ValueError(
            f"{name} has shape {got} but {wanted} was expected.{_hint(got, expected)}"
        )


def as_sequence_batch(x: Any, name: str = "x") -> np.ndarray:
    """Return ``x`` as a float32 (samples, time steps, features) array, explaining what is wrong otherwise (chapter 2)."""
    if isinstance(x, (list, tuple)):
        raise TypeError(f"{name} must be a NumPy array, got a {type(x).__name__}; use np.asarray({name}).")
    array = np.asarray(x)
    if array.ndim != 3:
        raise ValueError(
            f"{name} has shape {array.shape}, but recurrent layers need 3 axes "
            f"(samples, time steps, features).{_hint(array.shape, (None, None, None))}"
        )
    return array.astype(np.float32, copy=False)
