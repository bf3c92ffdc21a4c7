"""Schematic figures drawn with matplotlib, so the book needs no image files (chapter 1)."""

from __future__ import annotations

import matplotlib.pyplot as plt
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch

from .validation import require_int


def _box(ax: plt.Axes, x: float, y: float, text: str, color: str) -> None:
    ax.add_patch(
        FancyBboxPatch((x - 0.32, y - 0.22), 0.64, 0.44, boxstyle="round,pad=0.04",
                       facecolor=color, edgecolor="0.25", linewidth=1.2)
    )
    ax.text(x, y, text, ha="center", va="center", fontsize=11)


def _arrow(ax: plt.Axes, start: tuple[float, float], end: tuple[float, float], **kwargs) -> None:
    ax.add_patch(FancyArrowPatch(start, end, arrowstyle="-|>", mutation_scale=12,
                                 color="0.25", linewidth=1.2, **kwargs))


def draw_unrolled_rnn(n_steps: int = 4) -> plt.Figure:
    """The folded recurrent cell (left) and the same cell unrolled over ``n_steps`` time steps (chapter 1)."""
    n_steps = require_int(n_steps, "n_steps")
    if n_steps > 8:
        raise ValueError(f"n_steps must be at most 8 to stay legible, got {n_steps}.")
    fig, ax = plt.subplots(figsize=(1.6 * (n_steps + 2), 3.0))
    cell, io = "#cfe2f3", "#fff2cc"
    # Folded view: one cell whose state loops back into itself.
    _box(ax, 0, 1, "cell", cell)
    _box(ax, 0, 0, r"$x_t$", io)
    _box(ax, 0, 2, r"$y_t$", io)
    _arrow(ax, (0, 0.22), (0, 0.78))
    _arrow(ax, (0, 1.22), (0, 1.78))
    _arrow(ax, (0.36, 1.1), (0.36, 0.9), connectionstyle="arc3,rad=-2.2")
    ax.text(0.9, 1.0, r"$h_{t-1}$", ha="left", va="center", fontsize=9)
    ax.text(1.55, 1, "=", ha="center", va="center", fontsize=20)
    # Unrolled view: the same weights at every step, the state passed to the right.
    for t in range(n_steps):
        x = 2.4 + 1.3 * t
        _box(ax, x, 1, "cell", cell)
        _box(ax, x, 0, rf"$x_{{{t + 1}}}$", io)
        _box(ax, x, 2, rf"$y_{{{t + 1}}}$", io)
        _arrow(ax, (x, 0.22), (x, 0.78))
        _arrow(ax, (x, 1.22), (x, 1.78))
        start = (x - 0.98, 1) if t else (x - 0.85, 1)
        _arrow(ax, start, (x - 0.34, 1))
        ax.text(x - 0.66, 1.08, rf"$h_{{{t}}}$", ha="center", va="bottom", fontsize=9)
    ax.set_xlim(-0.6, 2.4 + 1.3 * (n_steps - 1) + 0.6)
    ax.set_ylim(-0.4, 2.4)
    ax.set_aspect("equal")
    ax.axis("off")
    ax.set_title("A recurrent cell, folded and unrolled through time", fontsize=10)
    fig.tight_layout()
    return fig
