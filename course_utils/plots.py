"""Plots several chapters share: one style, series with forecasts, learning curves."""

from __future__ import annotations

from typing import Any, Mapping, Sequence

import matplotlib.pyplot as plt
import numpy as np

from .validation import (require_array, require_axes, require_float, require_int, require_names, require_real_numbers,
                         require_sized)

#: The most panels plot_forecasts draws: more would not be readable.
MAX_PANELS = 12


def set_plot_style() -> None:
    """One readable style for every figure: seaborn's grid, compact size, PNG output (applied by setup)."""
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
    split_label: str = "train | test",
) -> plt.Axes:
    """Plot a series, optionally a forecast over it and a dotted vertical line at `split`, labelled `split_label`
    (chapter 3 marks where the seed ends and generation begins)."""
    values = _one_column(require_array(y, "y", ndim=(1, 2)), "y")
    require_axes(ax)
    labels = require_names(labels, "labels")
    if len(labels) < (1 if forecast is None else 2):
        raise ValueError(f"labels must name the series and the forecast, got {labels!r}.")
    if x is None:
        x = np.arange(len(values))
    else:
        _require_positions(x, len(values))
    pred = None
    if forecast is not None:
        pred = _one_column(require_array(forecast, "forecast", ndim=(1, 2), allow_nonfinite=True), "forecast")
        if len(pred) != len(values):
            raise ValueError(
                f"forecast has {len(pred)} points but y has {len(values)}; pad it with NaN "
                "where there is no forecast so both share the x axis."
            )
    if split is not None:
        _require_within(split, x)
    ax = ax or plt.subplots()[1]
    ax.plot(x, values, label=labels[0], color="C0")
    if pred is not None:
        ax.plot(x, pred.reshape(len(pred), -1), label=labels[1], color="C1", linestyle="--")
    if split is not None:
        ax.axvline(split, color="0.4", linestyle=":", label=split_label)
    if title:
        ax.set_title(title)
    if ylabel:
        ax.set_ylabel(ylabel)
    ax.legend(loc="best")
    return ax


def _one_column(values: np.ndarray, name: str) -> np.ndarray:
    if values.ndim == 2 and values.shape[1] != 1:
        raise ValueError(f"{name} must be 1D or one column (n, 1), got shape {values.shape}: plot one column "
                         "at a time, or several calls on one ax.")
    return values.reshape(len(values), -1)


def _require_positions(x: Any, n: int) -> None:
    """``x`` must be n increasing numbers or dates, one per value of y."""
    import pandas as pd

    if isinstance(x, (str, bytes, dict, set)) or not hasattr(x, "__len__"):
        raise TypeError(f"x must be an array of positions or dates, got {type(x).__name__}.")
    if len(x) != n:
        raise ValueError(f"x has {len(x)} points but y has {n}; they must match.")
    positions = pd.Index(np.asarray(x).ravel() if np.ndim(x) == 1 else np.asarray(x, dtype=object).ravel())
    if np.ndim(x) != 1:
        raise ValueError(f"x must be 1D, one position per value of y, got shape {np.shape(x)}.")
    numeric = positions.dtype.kind in "iuf" or isinstance(positions, pd.DatetimeIndex)
    if not numeric or positions.hasnans or not positions.is_monotonic_increasing or positions.has_duplicates:
        raise ValueError("x must be numbers or dates in increasing order, without gaps marked NaN or repeats; "
                         f"got {positions[:3].tolist()}...")


def _require_within(split: Any, x: Any) -> None:
    """``split`` must be a position on the x axis, between its first and last point."""
    if isinstance(split, (bool, np.bool_)) or np.ndim(split) != 0:
        raise TypeError(f"split must be one position on the x axis, got {split!r}.")
    first, last = np.asarray(x)[0], np.asarray(x)[-1]
    try:
        inside = min(first, last) <= split <= max(first, last)
    except TypeError:
        raise TypeError(f"split must be a position like x's (from {first} to {last}), got "
                        f"{type(split).__name__} {split!r}.") from None
    if not inside:
        raise ValueError(f"split={split!r} lies outside the series: x runs from {first} to {last}.")


def plot_learning_curves(
    history: Any,
    *,
    log_scale: bool = True,
    ax: plt.Axes | None = None,
    title: str | None = None,
    validation_freq: int = 1,
) -> plt.Axes:
    """Training and validation loss per epoch from a Keras History or its ``.history`` dict (chapter 1).

    ``validation_freq`` is the value given to ``fit``: validation losses are drawn at epochs
    ``validation_freq, 2 * validation_freq, ...``, where Keras measured them.
    """
    require_axes(ax)
    curves: Mapping[str, Sequence[float]] = getattr(history, "history", history)
    if not isinstance(curves, Mapping) or "loss" not in curves:
        raise TypeError(
            "history must be the History returned by model.fit (or its .history dict) "
            f"with a 'loss' entry, got {type(history).__name__}."
        )
    validation_freq = require_int(validation_freq, "validation_freq")
    for key in ("loss", "val_loss"):
        if key in curves:
            _require_losses(curves[key], key, log_scale)
    n_epochs = len(curves["loss"])
    if "val_loss" in curves and len(curves["val_loss"]) != n_epochs // validation_freq:
        raise ValueError(
            f"history has {len(curves['val_loss'])} validation losses for {n_epochs} epochs: "
            f"validation_freq={validation_freq} expects {n_epochs // validation_freq}. "
            "Pass the validation_freq given to fit."
        )
    ax = ax or plt.subplots()[1]
    ax.plot(np.arange(1, n_epochs + 1), curves["loss"], label="loss")
    if "val_loss" in curves:
        val_epochs = validation_freq * np.arange(1, len(curves["val_loss"]) + 1)
        ax.plot(val_epochs, curves["val_loss"], label="validation loss", marker="." if validation_freq > 1 else None)
    ax.set_xlabel("epoch")
    ax.set_ylabel("loss")
    if log_scale:
        ax.set_yscale("log")
    if title:
        ax.set_title(title)
    ax.legend()
    return ax


def _require_losses(losses: Any, key: str, log_scale: bool) -> None:
    if not isinstance(losses, (list, tuple, np.ndarray)):
        raise TypeError(f"history['{key}'] must be a list of losses, one per epoch, got {losses!r}.")
    if len(losses) == 0:
        raise ValueError(f"history['{key}'] is empty: train for at least one epoch before plotting.")
    values = require_real_numbers(losses, f"history['{key}']")
    if not np.all(np.isfinite(values)):
        epoch = int(np.argmin(np.isfinite(values))) + 1
        raise ValueError(f"history['{key}'] holds a NaN or infinite loss (first at epoch {epoch}): training "
                         "diverged. Lower the learning rate or clip the gradients (clipnorm=1.0) and train again.")
    if log_scale and (values <= 0).any():
        raise ValueError(f"history['{key}'] holds a loss of 0 or below, which a log scale cannot show: pass "
                         "log_scale=False.")


def plot_model_comparison(
    scores: Mapping[str, float],
    *,
    intervals: Mapping[str, tuple[float, float]] | None = None,
    seeds: Mapping[str, Sequence[float]] | None = None,
    baseline: float | None = None,
    floor: float | None = None,
    metric: str = "validation MSE",
    title: str | None = None,
    ax: plt.Axes | None = None,
) -> plt.Axes:
    """A dot per model (its score), a line for its interval and small dots for its seeds, with the naive
    baseline and the noise floor drawn as lines (chapter 4).

    Dots, not bars: on a log scale a bar's length depends on where the axis starts, a dot's place does not.
    The log scale is there because the interesting differences sit between the noise floor and a few times
    above it, while the naive forecast is hundreds of times higher.
    """
    require_axes(ax)
    if not isinstance(scores, Mapping) or not scores:
        raise TypeError("scores must be a non-empty dict {model name: score}.")
    values = require_real_numbers(list(scores.values()), "scores values")
    if not np.all(np.isfinite(values)):
        raise ValueError("scores must be finite numbers, got NaN or infinity.")
    if np.any(values <= 0):
        raise ValueError("scores must be positive (they are drawn on a log scale).")
    names = list(scores)
    for argument, given in [("intervals", intervals), ("seeds", seeds)]:
        if given is not None and (not isinstance(given, Mapping) or not set(given) <= set(names)):
            raise ValueError(f"{argument} must be a dict whose keys are models of scores ({names}), got {given!r}.")
    for name, pair in (intervals or {}).items():
        bounds = require_real_numbers(list(pair) if isinstance(pair, (list, tuple)) else pair, f"intervals[{name!r}]")
        if len(bounds) != 2 or not bounds[0] <= bounds[1] or not np.all(np.isfinite(bounds)):
            raise ValueError(f"intervals[{name!r}] must be a pair (low, high) with low <= high, got {pair!r}.")
        if bounds[0] <= 0:
            raise ValueError(f"intervals[{name!r}] must be positive (a log scale), got {pair!r}.")
    for name, points in (seeds or {}).items():
        points = require_real_numbers(list(points) if isinstance(points, (list, tuple)) else points,
                                      f"seeds[{name!r}]")
        if not np.all(np.isfinite(points)) or (points <= 0).any():
            raise ValueError(f"seeds[{name!r}] must be positive finite numbers (a log scale), got {points!r}.")
    for argument, given in [("baseline", baseline), ("floor", floor)]:
        if given is not None:
            require_float(given, argument, positive=True)
    ax = ax or plt.subplots(figsize=(8, 0.45 * len(names) + 1.2))[1]
    rows = np.arange(len(names))
    for row, name in zip(rows, names):
        if intervals and name in intervals:
            low, high = intervals[name]
            ax.plot([low, high], [row, row], color="C0", lw=2, solid_capstyle="butt")
        if seeds and name in seeds:
            ax.plot(seeds[name], [row] * len(seeds[name]), "o", ms=3, color="0.45", zorder=3)
    ax.plot(values, rows, "D", color="C0", ms=7, zorder=4, label="_nolegend_")
    for row, value in zip(rows, values):
        label = f"{value:.4f}" if floor is None else f"{value:.4f} ({value / floor:.2f}x floor)"
        ax.annotate(label, (value, row), xytext=(0, 7), textcoords="offset points", ha="center", fontsize=8)
    if baseline is not None:
        ax.axvline(baseline, color="C3", linestyle="--", label=f"naive baseline {baseline:.4f}")
    if floor is not None:
        ax.axvline(floor, color="0.2", linestyle=":", label=f"noise floor {floor:.5f}")
    ax.set_xscale("log")
    drawn = [*values, *(v for pair in (intervals or {}).values() for v in pair),
             *(v for points in (seeds or {}).values() for v in points), *(x for x in (baseline, floor) if x)]
    ax.set_xlim(min(drawn) / 1.5, max(drawn) * 3)      # room for the labels beside the outermost dots
    ax.set_yticks(rows, names)
    ax.set_ylim(len(names) - 0.4, -0.7)
    ax.set_xlabel(f"{metric} (log scale)")
    if title:
        ax.set_title(title)
    if baseline is not None or floor is not None:
        ax.legend(loc="lower right", fontsize=8)
    return ax


def plot_forecasts(
    X: np.ndarray,
    y: np.ndarray,
    forecasts: Mapping[str, np.ndarray],
    *,
    series: Sequence[int] = (0, 1, 2),
    history: int = 20,
    title: str | None = None,
) -> plt.Figure:
    """One panel per series: its last `history` inputs, the values to forecast, and each model's forecast
    (chapter 5). `X` is (series, steps, 1), `y` and every forecast (series, horizon)."""
    X = require_array(X, "X", ndim=3)
    y = require_array(y, "y", ndim=2)
    series = [require_int(i, f"series[{k}]", minimum=0)
              for k, i in enumerate(require_sized(series, "series", what="series numbers"))]
    if not series or len(series) > MAX_PANELS:
        raise ValueError(f"series must name 1 to {MAX_PANELS} series (one panel each), got {len(series)}.")
    history = require_int(history, "history")
    if len(X) != len(y):
        raise ValueError(f"X has {len(X)} series but y has {len(y)}; they must match.")
    if not isinstance(forecasts, Mapping) or not forecasts:
        raise TypeError("forecasts must be a non-empty dict {model name: array of shape (series, horizon)}.")
    forecasts = {name: require_array(values, f"forecasts[{name!r}]", ndim=2, allow_nonfinite=True)
                 if not isinstance(values, (list, tuple)) else values for name, values in forecasts.items()}
    for name, values in forecasts.items():
        if isinstance(values, (list, tuple)):
            raise TypeError(f"forecasts[{name!r}] must be a NumPy array of shape (series, horizon), got a list.")
        if np.shape(values)[1:] != y.shape[1:] or len(values) <= max(series):
            raise ValueError(f"forecasts[{name!r}] has shape {np.shape(values)}: expected (at least "
                             f"{max(series) + 1}, {y.shape[1]}), like y.")
    if len(X) <= max(series) or len(y) <= max(series):
        raise ValueError(f"series {list(series)} asks for series {max(series)}, but X has {len(X)} and y {len(y)}.")
    n_steps, horizon = X.shape[1], y.shape[1]
    shown = np.arange(max(0, n_steps - history), n_steps)
    ahead = np.arange(n_steps, n_steps + horizon)
    fig, axes = plt.subplots(1, len(series), figsize=(3.6 * len(series), 2.8), sharey=True, squeeze=False)
    for ax, i in zip(axes[0], series):
        ax.plot(shown, X[i, shown, 0], ".-", color="0.4", label="input")
        ax.plot(ahead, y[i], "o", color="k", ms=4, label="truth")
        for k, (name, values) in enumerate(forecasts.items()):
            ax.plot(ahead, values[i], "-", color=f"C{k}", lw=1.5, label=name)
        ax.set(xlabel="time step", title=f"series {i}")
    axes[0][-1].legend(fontsize=7, loc="upper left", bbox_to_anchor=(1.02, 1.0))   # outside: no curve hidden
    if title:
        fig.suptitle(title)
    fig.tight_layout()
    return fig
