"""Cut a 1D series into the (samples, time steps, features) windows recurrent layers expect.

Built on NumPy's ``sliding_window_view``: no Python loops, and every window is
a view until the final copy.
"""

from __future__ import annotations

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from .validation import require_array, require_fits_in_memory, require_int


def _series(series: np.ndarray, name: str = "series") -> np.ndarray:
    array = require_array(series, name, ndim=(1, 2))
    if array.ndim == 2 and array.shape[1] != 1:
        raise ValueError(
            f"{name} must be 1D or a single column (n, 1), got shape {array.shape}; "
            "window each feature separately or stack them as features afterwards."
        )
    return array.reshape(-1)


def _fits(length: int, needed: int, what: str) -> None:
    if needed > length:
        raise ValueError(
            f"{what} needs {needed} values but series has only {length}; "
            "use a shorter window or horizon, or a longer series."
        )


def sliding_windows(series: np.ndarray, window: int, *, stride: int = 1) -> tuple[np.ndarray, np.ndarray]:
    """Overlapping windows: X (samples, window, 1) and the value after each, y (samples, 1) (chapter 2).

    One step ahead only: windows followed by several values are exercise 2.2's to write.
    """
    values = _series(series)
    window = require_int(window, "window")
    stride = require_int(stride, "stride")
    _fits(len(values), window + 1, f"window={window} plus one target")
    require_fits_in_memory(((len(values) - window - 1) // stride + 1) * (window + 1), "these windows")
    blocks = sliding_window_view(values, window + 1)[::stride]
    return blocks[:, :window, np.newaxis].copy(), blocks[:, window:].copy()


def non_overlapping_windows(series: np.ndarray, window: int) -> tuple[np.ndarray, np.ndarray]:
    """Back-to-back blocks of ``window`` inputs, each followed by the single value it predicts (chapter 2).

    Sample i uses values [i*window, (i+1)*window) and predicts value (i+1)*window,
    the layout of the sunspot source. Values after the last full block are dropped.
    """
    values = _series(series)
    window = require_int(window, "window")
    _fits(len(values), window + 1, f"window={window} plus one target")
    n_samples = (len(values) - 1) // window
    X = values[: n_samples * window].reshape(n_samples, window, 1)
    y = values[window : (n_samples + 1) * window : window].reshape(n_samples, 1)
    return X.copy(), y.copy()


def shifted_windows(series: np.ndarray, window: int, stride: int = 1) -> tuple[np.ndarray, np.ndarray]:
    """Sequence-to-sequence pairs: X (samples, window, 1) and the same window shifted one step ahead (chapter 3)."""
    values = _series(series)
    window = require_int(window, "window")
    stride = require_int(stride, "stride")
    _fits(len(values), window + 1, f"window={window} plus the one-step shift")
    require_fits_in_memory(2 * ((len(values) - window - 1) // stride + 1) * window, "these windows")
    blocks = sliding_window_view(values, window + 1)[::stride]
    return blocks[:, :-1, np.newaxis].copy(), blocks[:, 1:, np.newaxis].copy()


def every_step_targets(X: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Targets for training a forecaster at every time step, not only the last (chapter 5).

    ``X`` holds windows (samples, steps, 1) and ``y`` the ``horizon`` values
    that follow each (samples, horizon). The result has shape (samples, steps,
    horizon): at step t, the ``horizon`` values after t. The last step's row is
    ``y`` itself, so the usual metric is the error at the last step. Every step
    gives the network a training signal, which makes training much faster.
    """
    X = require_array(X, "X", ndim=3)
    y = require_array(y, "y", ndim=2)
    if X.shape[2] != 1:
        raise ValueError(f"X must hold one feature (shape (samples, steps, 1)), got shape {X.shape}.")
    if y.shape[0] != X.shape[0]:
        raise ValueError(f"X has {X.shape[0]} windows but y has {y.shape[0]} rows; they must match.")
    steps, horizon = X.shape[1], y.shape[1]
    require_fits_in_memory(X.shape[0] * steps * horizon, "the every-step targets")
    full = np.concatenate([X[:, :, 0], y], axis=1)          # (samples, steps + horizon)
    return sliding_window_view(full[:, 1:], horizon, axis=1)[:, :steps].copy()
