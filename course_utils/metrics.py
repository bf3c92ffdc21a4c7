"""Error measures, computed in NumPy so learners can read exactly what they do."""

from __future__ import annotations

import numpy as np

from .validation import require_array, require_same_shape


def _pair(y_true: np.ndarray, y_pred: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    a = require_array(y_true, "y_true")
    b = require_array(y_pred, "y_pred")
    require_same_shape(a, b, "y_true", "y_pred")
    return a, b


def mse(y_true: np.ndarray, y_pred: np.ndarray) -> float:
    """Mean squared error; shapes must match exactly, so (n,) vs (n, 1) cannot broadcast to (n, n) (chapter 4)."""
    a, b = _pair(y_true, y_pred)
    return float(np.mean((a - b) ** 2))


def rmse(y_true: np.ndarray, y_pred: np.ndarray) -> float:
    """Root mean squared error, in the units of the data (chapter 4)."""
    return float(np.sqrt(mse(y_true, y_pred)))


def mae(y_true: np.ndarray, y_pred: np.ndarray) -> float:
    """Mean absolute error."""
    a, b = _pair(y_true, y_pred)
    return float(np.mean(np.abs(a - b)))


def max_abs_error(y_true: np.ndarray, y_pred: np.ndarray) -> float:
    """Largest absolute error: the measure for closed-loop generation (chapter 3)."""
    a, b = _pair(y_true, y_pred)
    return float(np.max(np.abs(a - b)))
