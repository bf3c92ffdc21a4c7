"""Error measures, computed in NumPy so learners can read exactly what they do."""

from __future__ import annotations

import numpy as np

from .validation import require_array, require_same_shape


def _pair(y_true: np.ndarray, y_pred: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Both as arrays of one shape. Two pandas objects must share their index: the metrics compare by
    position, and two series covering different dates would be compared date against wrong date."""
    index_true, index_pred = getattr(y_true, "index", None), getattr(y_pred, "index", None)
    if index_true is not None and index_pred is not None and not index_true.equals(index_pred):
        raise ValueError(
            "y_true and y_pred are pandas objects with different indexes, and the metrics compare by position: "
            "align them first (y_pred = y_pred.reindex(y_true.index)), or pass .to_numpy() of each if "
            "position is what you mean."
        )
    columns_true, columns_pred = getattr(y_true, "columns", None), getattr(y_pred, "columns", None)
    if columns_true is not None and columns_pred is not None and not columns_true.equals(columns_pred):
        raise ValueError("y_true and y_pred are DataFrames with different columns, and the metrics compare by "
                         "position: select the same columns in the same order first.")
    a = require_array(y_true, "y_true")
    b = require_array(y_pred, "y_pred")
    require_same_shape(a, b, "y_true", "y_pred")
    return a, b


def mse(y_true: np.ndarray, y_pred: np.ndarray) -> float:
    """Mean squared error; shapes must match exactly, so (n,) vs (n, 1) cannot broadcast to (n, n) (chapter 4)."""
    a, b = _pair(y_true, y_pred)
    with np.errstate(over="ignore"):  # an error beyond float64's range is inf, said once by the result
        return float(np.mean((a - b) ** 2))


def rmse(y_true: np.ndarray, y_pred: np.ndarray) -> float:
    """Root mean squared error, in the units of the data (chapter 4)."""
    return float(np.sqrt(mse(y_true, y_pred)))


def mae(y_true: np.ndarray, y_pred: np.ndarray) -> float:
    """Mean absolute error."""
    a, b = _pair(y_true, y_pred)
    with np.errstate(over="ignore"):
        return float(np.mean(np.abs(a - b)))


def max_abs_error(y_true: np.ndarray, y_pred: np.ndarray) -> float:
    """Largest absolute error: the measure for closed-loop generation (chapter 3)."""
    a, b = _pair(y_true, y_pred)
    with np.errstate(over="ignore"):
        return float(np.max(np.abs(a - b)))
