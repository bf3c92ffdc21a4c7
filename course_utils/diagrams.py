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
    """The folded recurrent cell (left) and the same cell unrolled over ``n_steps`` time steps (chapter 1).

    Every arrow carries the weight matrix that acts along it, in the chapter's symbols: W_x from the input
    into the cell, W_h from the previous state into the cell, W_y from the state to the output.
    """
    n_steps = require_int(n_steps, "n_steps")
    if n_steps > 8:
        raise ValueError(f"n_steps must be at most 8 to stay legible, got {n_steps}.")
    first, spacing = 3.1, 1.3  # x of the first unrolled cell, and between cells
    fig, ax = plt.subplots(figsize=(1.6 * (n_steps + 2.3), 3.1))
    cell, io = "#cfe2f3", "#fff2cc"
    weight = dict(fontsize=9, color="#1f4e79")

    def cell_with_input_and_output(x: float, x_label: str, y_label: str) -> None:
        _box(ax, x, 1, "cell", cell)
        _box(ax, x, 0, x_label, io)
        _box(ax, x, 2, y_label, io)
        _arrow(ax, (x, 0.22), (x, 0.78))
        _arrow(ax, (x, 1.22), (x, 1.78))
        ax.text(x + 0.06, 0.5, r"$\mathbf{W}_x$", ha="left", va="center", **weight)
        ax.text(x + 0.06, 1.5, r"$\mathbf{W}_y$", ha="left", va="center", **weight)

    # Folded view: one cell whose state loops back into itself.
    cell_with_input_and_output(0, r"$x_t$", r"$y_t$")
    _arrow(ax, (0.36, 1.1), (0.36, 0.9), connectionstyle="arc,angleA=0,angleB=0,armA=24,armB=24,rad=6")
    ax.text(0.8, 1.06, r"$h_{t-1}$", ha="left", va="bottom", fontsize=9)
    ax.text(0.8, 0.94, r"$\mathbf{W}_h$", ha="left", va="top", **weight)
    ax.text(1.75, 1, "=", ha="center", va="center", fontsize=20)
    # Unrolled view: the same weights at every step, the state passed to the right.
    for t in range(n_steps):
        x = first + spacing * t
        cell_with_input_and_output(x, rf"$x_{{{t + 1}}}$", rf"$y_{{{t + 1}}}$")
        start = x - spacing + 0.32 if t else x - 0.85
        _arrow(ax, (start, 1), (x - 0.34, 1))
        middle = (start + x - 0.34) / 2
        ax.text(middle, 1.06, rf"$h_{{{t}}}$", ha="center", va="bottom", fontsize=9)
        ax.text(middle, 0.94, r"$\mathbf{W}_h$", ha="center", va="top", **weight)
    ax.set_xlim(-0.6, first + spacing * (n_steps - 1) + 0.6)
    ax.set_ylim(-0.4, 2.4)
    ax.set_aspect("equal")
    ax.axis("off")
    weights = r"the same $\mathbf{W}_x$, $\mathbf{W}_h$, $\mathbf{W}_y$ at every step"
    ax.set_title("A recurrent cell, folded and unrolled through time" + (": " if n_steps >= 4 else ":\n") + weights,
                 fontsize=10)
    fig.tight_layout()
    return fig
