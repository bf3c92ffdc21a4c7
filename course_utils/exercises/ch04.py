"""Checks for the exercises of chapter 4 (the sunspot data)."""

from __future__ import annotations

from typing import Callable

import numpy as np

from ._core import ExerciseFailed, attempt, passed

PERSISTENCE = "Exercise 4.1"
SCALING = "Exercise 4.2"
UNITS = "Exercise 4.3"


def check_persistence(persistence_forecast: Callable) -> None:
    """The persistence forecast of each window is its last value, shape (samples, 1)."""
    X = np.arange(24, dtype=float).reshape(4, 6, 1) ** 1.5
    got = attempt(PERSISTENCE, persistence_forecast, X.copy())
    got = np.asarray(got, dtype=float)
    want = X[:, -1, :]
    if got.shape == (4,):
        raise ExerciseFailed(PERSISTENCE, "your forecast has shape (4,); keep the target axis: (samples, 1), like the model's output.")
    if got.shape != want.shape:
        raise ExerciseFailed(PERSISTENCE, f"your forecast has shape {got.shape} but (samples, 1) = {want.shape} was expected; one value per window.")
    if np.allclose(got, X[:, 0, :]):
        raise ExerciseFailed(PERSISTENCE, "you repeat the first value of each window; persistence repeats the most recent one.")
    if np.allclose(got, X.mean(axis=1)):
        raise ExerciseFailed(PERSISTENCE, "you forecast the window's mean; persistence repeats its most recent value.")
    if not np.allclose(got, want):
        raise ExerciseFailed(PERSISTENCE, "print X[0, :, 0] and your forecast for it: the forecast should equal the last of those values.")
    passed(PERSISTENCE, "each window's forecast is its last observed value.")


def _series(seed: int = 3) -> np.ndarray:
    rng = np.random.default_rng(seed)
    values = 50 + 40 * np.sin(np.arange(120) / 8) + rng.normal(0, 5, 120)
    values[100:] += 60  # the test part reaches values the training part never saw
    return values


def check_scale_split(scale_split: Callable) -> None:
    """The scaler must be fitted on the training part only: its range comes from the first n_train values."""
    values, n_train = _series(), 90
    got = attempt(SCALING, scale_split, values.copy(), n_train)
    if not (isinstance(got, tuple) and len(got) == 3):
        raise ExerciseFailed(SCALING, "return three things: (train_scaled, test_scaled, scaler).")
    train, test, scaler = got
    train, test = np.asarray(train, dtype=float), np.asarray(test, dtype=float)
    if train.shape != (n_train,) or test.shape != (len(values) - n_train,):
        raise ExerciseFailed(
            SCALING,
            f"train_scaled has shape {train.shape} and test_scaled {test.shape}; expected 1D arrays of "
            f"{n_train} and {len(values) - n_train} values (flatten the scaler's (n, 1) output with .ravel()).",
        )
    if not hasattr(scaler, "data_min_"):
        raise ExerciseFailed(SCALING, "the third value must be the fitted MinMaxScaler, so predictions can be turned back into sunspots.")
    lo, hi = values[:n_train].min(), values[:n_train].max()
    if np.isclose(scaler.data_max_[0], values.max()) and not np.isclose(hi, values.max()):
        raise ExerciseFailed(
            SCALING,
            "your scaler has seen the test part (its maximum is the maximum of the whole series): "
            "fit it on the training values only, then transform both parts.",
        )
    if not (np.isclose(scaler.data_min_[0], lo) and np.isclose(scaler.data_max_[0], hi)):
        raise ExerciseFailed(SCALING, "the scaler's min and max should be those of the first n_train values.")
    if not np.allclose(train, (values[:n_train] - lo) / (hi - lo)) or not np.allclose(test, (values[n_train:] - lo) / (hi - lo)):
        raise ExerciseFailed(SCALING, "transform both parts with the same fitted scaler; do not fit a second one on the test part.")
    passed(SCALING, "fitted on the training part only; test values above its maximum scale above 1, as they should.")


def check_rmse_in_sunspots(rmse_in_sunspots: Callable) -> None:
    """RMSE after undoing the scaling, in the data's own units."""
    from sklearn.preprocessing import MinMaxScaler

    raw = _series()
    scaler = MinMaxScaler().fit(raw[:90].reshape(-1, 1))
    y = scaler.transform(raw[90:].reshape(-1, 1))
    pred = y + np.linspace(-0.05, 0.08, len(y)).reshape(-1, 1)
    got = attempt(UNITS, rmse_in_sunspots, y.copy(), pred.copy(), scaler)
    try:
        got = float(got)
    except (TypeError, ValueError):
        raise ExerciseFailed(UNITS, f"return one number, got {type(got).__name__}.") from None
    span = scaler.data_max_[0] - scaler.data_min_[0]
    want = float(np.sqrt(np.mean((pred - y) ** 2)) * span)
    if np.isclose(got, want, rtol=1e-6):
        passed(UNITS, f"an RMSE of {want:.2f} in the data's units is {want / span:.3f} in scaled units.")
        return
    if np.isclose(got, want / span, rtol=1e-6):
        hint = "that is the RMSE in scaled units: turn both arrays back with scaler.inverse_transform first."
    elif np.isclose(got, want**2, rtol=1e-6):
        hint = "that is the mean squared error: take its square root."
    elif np.isclose(got, float(np.mean(np.abs(pred - y)) * span), rtol=1e-6):
        hint = "that is the mean absolute error; the RMSE squares the errors, averages them, then takes the root."
    else:
        hint = "undo the scaling of both arrays with scaler.inverse_transform, then compute sqrt(mean((y - pred)**2))."
    raise ExerciseFailed(UNITS, f"you return {got:.4g}; {hint}")
