"""The course's data sets: generated curves and the shipped sunspot series.

Nothing here touches the network: the sunspot CSV ships inside the package and
is read through ``importlib.resources``, so an installed wheel has it too.
"""

from __future__ import annotations

from importlib import resources
from typing import NamedTuple

import numpy as np
import pandas as pd

from .validation import MAX_SEED, MAX_VALUES, require_fits_in_memory, require_float, require_int

#: Width of the uniform noise added to the two-sine series (chapters 5-7).
SYNTHETIC_NOISE_WIDTH = 0.1

SUNSPOTS_FILE = "monthly-sunspots.csv"


def load_sunspots() -> pd.Series:
    """Monthly mean sunspot numbers 1749-1983 with a monthly DatetimeIndex (chapter 2)."""
    source = resources.files("course_utils") / "data" / SUNSPOTS_FILE
    with source.open("r", encoding="utf-8") as handle:
        frame = pd.read_csv(handle)
    index = pd.DatetimeIndex(pd.to_datetime(frame["Month"], format="%Y-%m"), name="month")
    series = pd.Series(frame["Sunspots"].to_numpy(dtype=np.float64), index=index, name="sunspots")
    return series.asfreq("MS")


def damped_curve(
    n_samples: int = 200, stop: float = 5 * np.pi, tau: float = 5.0
) -> tuple[np.ndarray, np.ndarray]:
    """Sample y = exp(-x/tau) cos(x) at ``n_samples`` points on [0, stop] (chapter 3)."""
    n_samples = require_int(n_samples, "n_samples", minimum=2, maximum=MAX_VALUES)
    stop = require_float(stop, "stop", positive=True)
    tau = require_float(tau, "tau", positive=True)
    x = np.linspace(0.0, stop, n_samples)
    return x, np.exp(-x / tau) * np.cos(x)


def synthetic_noise_variance(width: float = SYNTHETIC_NOISE_WIDTH) -> float:
    """Variance of uniform noise of the given width, width**2 / 12: the MSE floor of chapters 5-7."""
    width = require_float(width, "width", positive=True)
    if width > 1e150:
        raise ValueError(f"width must be at most 1e150 (its square must stay finite), got {width}.")
    return width**2 / 12.0


def two_sine_series(n_series: int, n_steps: int, seed: int = 42) -> np.ndarray:
    """Sums of two sines with random frequencies and phases plus uniform noise, shape (n_series, n_steps, 1)."""
    n_series = require_int(n_series, "n_series")
    n_steps = require_int(n_steps, "n_steps", minimum=2)
    seed = require_int(seed, "seed", minimum=0, maximum=MAX_SEED)
    require_fits_in_memory(n_series * n_steps, f"two_sine_series({n_series}, {n_steps})")
    rng = np.random.default_rng(seed)
    freq1, freq2, phase1, phase2 = rng.random((4, n_series, 1))
    t = np.linspace(0.0, 1.0, n_steps)
    series = 0.5 * np.sin((t - phase1) * (10 + 10 * freq1))
    series += 0.2 * np.sin((t - phase2) * (20 + 20 * freq2))
    series += SYNTHETIC_NOISE_WIDTH * (rng.random((n_series, n_steps)) - 0.5)
    return series[..., np.newaxis].astype(np.float32)


class Split(NamedTuple):
    """Inputs and targets of one part of a data set."""

    X: np.ndarray
    y: np.ndarray


class SyntheticSplits(NamedTuple):
    """Train, validation and test parts of the multi-step task of chapters 5-7."""

    train: Split
    valid: Split
    test: Split


def synthetic_forecasting_splits(
    n_series: int = 10_000,
    n_steps: int = 50,
    horizon: int = 10,
    sizes: tuple[int, int] = (7_000, 2_000),
    seed: int = 42,
) -> SyntheticSplits:
    """Two-sine series cut into inputs (n_steps) and targets (the next ``horizon`` values) (chapter 5)."""
    n_series = require_int(n_series, "n_series", minimum=3)
    horizon = require_int(horizon, "horizon")
    if not isinstance(sizes, tuple) or len(sizes) != 2:
        raise TypeError(f"sizes must be a tuple (n_train, n_valid), got {sizes!r}.")
    n_train = require_int(sizes[0], "sizes[0]")
    n_valid = require_int(sizes[1], "sizes[1]")
    if n_train + n_valid >= n_series:
        raise ValueError(
            f"sizes {sizes} leave no test series out of n_series={n_series}; "
            "n_train + n_valid must be smaller than n_series."
        )
    n_steps = require_int(n_steps, "n_steps")
    require_fits_in_memory(n_series * (n_steps + horizon), "n_series x (n_steps + horizon)")
    series = two_sine_series(n_series, n_steps + horizon, seed)
    X, y = series[:, :n_steps], series[:, n_steps:, 0]
    cut1, cut2 = n_train, n_train + n_valid
    return SyntheticSplits(
        Split(X[:cut1], y[:cut1]), Split(X[cut1:cut2], y[cut1:cut2]), Split(X[cut2:], y[cut2:])
    )
