"""Argument checks shared by every helper.

Learners call these helpers with their own arrays, so a mistake must end in a
short message that names the argument and what was expected, never in a
traceback from deep inside NumPy or Keras.
"""

from __future__ import annotations

import numbers
from typing import Any

import numpy as np


def _type_name(value: Any) -> str:
    return type(value).__name__


def require_array(
    value: Any,
    name: str,
    *,
    ndim: int | tuple[int, ...] | None = None,
    min_length: int = 1,
    allow_nonfinite: bool = False,
) -> np.ndarray:
    """Return ``value`` as a float64 array after checking type, rank, size and finiteness.

    Lists are refused on purpose: the course teaches the tensor format, and a
    nested list hides its shape. The message says how to convert.
    """
    if isinstance(value, (list, tuple)):
        raise TypeError(
            f"{name} must be a NumPy array, got a {_type_name(value)}; "
            f"convert it first with np.asarray({name})."
        )
    if hasattr(value, "to_numpy") and not isinstance(value, np.ndarray):
        value = value.to_numpy()  # pandas Series / DataFrame
    elif hasattr(value, "numpy") and not isinstance(value, np.ndarray):
        value = value.numpy()  # eager TensorFlow tensor
    if not isinstance(value, np.ndarray):
        raise TypeError(f"{name} must be a NumPy array, got {_type_name(value)}.")
    if value.dtype == bool or not np.issubdtype(value.dtype, np.number):
        raise TypeError(
            f"{name} must hold numbers (int or float), got dtype {value.dtype}."
        )
    if np.issubdtype(value.dtype, np.complexfloating):
        raise TypeError(f"{name} must hold real numbers, got dtype {value.dtype}.")
    if ndim is not None:
        allowed = (ndim,) if isinstance(ndim, int) else tuple(ndim)
        if value.ndim not in allowed:
            wanted = " or ".join(f"{d}D" for d in allowed)
            raise ValueError(
                f"{name} must be a {wanted} array, got {value.ndim}D with shape {value.shape}."
            )
    if value.ndim == 0 or value.shape[0] < min_length:
        got = 0 if value.ndim == 0 else value.shape[0]
        raise ValueError(
            f"{name} must have at least {min_length} entries along its first axis, got {got}."
        )
    array = value.astype(np.float64, copy=False)
    if not allow_nonfinite and not np.all(np.isfinite(array)):
        bad = int(np.size(array) - np.count_nonzero(np.isfinite(array)))
        raise ValueError(
            f"{name} contains {bad} NaN or infinite value(s); clean or drop them first."
        )
    return array


def require_int(value: Any, name: str, *, minimum: int = 1) -> int:
    """Return ``value`` as an int, refusing floats, bools and values below ``minimum``."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be an integer, got {_type_name(value)} {value!r}.")
    if value < minimum:
        raise ValueError(f"{name} must be an integer >= {minimum}, got {value}.")
    return int(value)


def require_float(
    value: Any, name: str, *, positive: bool = False, minimum: float | None = None
) -> float:
    """Return ``value`` as a finite float, optionally strictly positive or at least ``minimum``."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a number, got {_type_name(value)} {value!r}.")
    value = float(value)
    if not np.isfinite(value):
        raise ValueError(f"{name} must be finite, got {value}.")
    if positive and value <= 0:
        raise ValueError(f"{name} must be > 0, got {value}.")
    if minimum is not None and value < minimum:
        raise ValueError(f"{name} must be >= {minimum}, got {value}.")
    return value


def require_same_shape(a: np.ndarray, b: np.ndarray, name_a: str, name_b: str) -> None:
    """Refuse two arrays whose shapes differ, instead of letting NumPy broadcast them silently."""
    if a.shape != b.shape:
        raise ValueError(
            f"{name_a} has shape {a.shape} but {name_b} has shape {b.shape}; "
            "they must match element for element (broadcasting would hide a bug)."
        )
