"""Plots several chapters share: one style, series with forecasts, learning curves."""

from __future__ import annotations

from typing import Any, Mapping, Sequence

import matplotlib.pyplot as plt
import numpy as np

from .validation import require_array


def set_plot_style() -> None:
    """One readable style for every figure: seaborn's grid, compact size, PNG output (chapter 1)."""
    import seaborn as sns

    sns.set_theme(style="whitegrid", context="notebook")
    plt.rcParams.update(
        {"figure.figsize": (8, 3.5), "figure.dpi": 90, "savefig.dpi": 90, "axes.titlesize": "medium"}
    )
    try:  # PNG, not SVG: nbval compares SVG as text and fonts differ between machines.
        from matplotlib_inline.backend_inline import set_matplotlib_formats

        set_matplotlib_formats("png")
    except ImportError:  # pragma: no cover - only outside IPython
        pass


def plot_series(
    y: np.ndarray,
    forecast: np.ndarray | None = None,
    *,
    x: Any = None,
    split: Any = None,
    labels: Sequence[str] = ("actual", "forecast"),
    title: str | None = None,
    ylabel: str | None = None,
    ax: plt.Axes | None = None,
) -> plt.Axes:
    """Plot a series, optionally a forecast over it and a vertical line at the train/test split (chapter 3)."""
    values = require_array(y, "y", ndim=(1, 2)).reshape(len(y), -1)
    if x is None:
        x = np.arange(len(values))
    elif len(x) != len(values):
        raise ValueError(f"x has {len(x)} points but y has {len(values)}; they must match.")
    ax = ax or plt.subplots()[1]
    ax.plot(x, values, label=labels[0], color="C0")
    if forecast is not None:
        pred = require_array(forecast, "forecast", ndim=(1, 2), allow_nonfinite=True)
        if len(pred) != len(values):
            raise ValueError(
                f"forecast has {len(pred)} points but y has {len(values)}; pad it with NaN "
                "where there is no forecast so both share the x axis."
            )
        ax.plot(x, pred.reshape(len(pred), -1), label=labels[1], color="C1", linestyle="--")
    if split is not None:
        ax.axvline(split, color="0.4", linestyle=":", label="train | test")
    if title:
        ax.set_title(title)
    if ylabel:
        ax.set_ylabel(ylabel)
    ax.legend(loc="best")
    return ax


def plot_learning_curves(
    history: Any, *, log_scale: bool = True, ax: plt.Axes | None = None, title: str | None = None
) -> plt.Axes:
    """Training and validation loss per epoch from a Keras History or its ``.history`` dict (chapter 3)."""
    curves: Mapping[str, Sequence[float]] = getattr(history, "history", history)
    if not isinstance(curves, Mapping) or "loss" not in curves:
        raise TypeError(
            "history must be the History returned by model.fit (or its .history dict) "
            f"with a 'loss' entry, got {type(history).__name__}."
        )
    ax = ax or plt.subplots()[1]
    epochs = np.arange(1, len(curves["loss"]) + 1)
    for key in ("loss", "val_loss"):
        if key in curves:
            ax.plot(epochs, curves[key], label=key.replace("val_", "validation ").replace("loss", "loss"))
    ax.set_xlabel("epoch")
    ax.set_ylabel("loss")
    if log_scale:
        ax.set_yscale("log")
    if title:
        ax.set_title(title)
    ax.legend()
    return ax
