"""Schematic figures drawn with matplotlib, so the book needs no image files (chapter 1)."""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib.pyplot as plt
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch

from .validation import require_int, require_sized


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


# --- Gated cells (chapters 5 and 6) and the dilated causal stack (chapter 7) ---------------------------------

_GATE, _STATE, _OP = "#f4cccc", "#d9ead3", "white"  # gate boxes, state ends, pointwise operations
_LABEL = dict(fontsize=10, color="0.1")
_WEIGHT = dict(fontsize=8.5, color="#1f4e79")


def _rect(ax: plt.Axes, x: float, y: float, width: float, height: float, text: str, color: str,
          weights: str | None = None) -> None:
    """A box centred on (x, y); with ``weights``, the function on top and its parameters in small type below."""
    ax.add_patch(FancyBboxPatch((x - width / 2, y - height / 2), width, height, boxstyle="round,pad=0.03",
                                facecolor=color, edgecolor="0.25", linewidth=1.2, zorder=2))
    if weights is None:
        ax.text(x, y, text, ha="center", va="center", fontsize=11, zorder=3)
    else:
        ax.text(x, y + 0.12 * height, text, ha="center", va="center", fontsize=11, zorder=3)
        ax.text(x, y - 0.26 * height, weights, ha="center", va="center", zorder=3, **_WEIGHT)


def _op(ax: plt.Axes, x: float, y: float, text: str, radius: float = 0.22) -> None:
    """A pointwise operation: a small circle with its symbol."""
    from matplotlib.patches import Circle

    ax.add_patch(Circle((x, y), radius, facecolor=_OP, edgecolor="0.25", linewidth=1.2, zorder=2))
    ax.text(x, y, text, ha="center", va="center", fontsize=10, zorder=3)


def _route(ax: plt.Axes, *points: tuple[float, float], arrow: bool = True) -> None:
    """Straight segments through ``points``; the last one ends in an arrowhead unless ``arrow`` is False."""
    segments = points[:-1] if arrow else points
    for start, end in zip(segments[:-1], segments[1:]):
        ax.plot([start[0], end[0]], [start[1], end[1]], color="0.25", linewidth=1.2, solid_capstyle="round",
                zorder=1)
    if arrow:
        _arrow(ax, points[-2], points[-1])


def _junction(ax: plt.Axes, x: float, y: float) -> None:
    ax.plot([x], [y], "o", color="0.25", markersize=4, zorder=3)


def _finish(fig: plt.Figure, ax: plt.Axes, xlim: tuple[float, float], ylim: tuple[float, float],
            title: str) -> plt.Figure:
    ax.set_xlim(*xlim)
    ax.set_ylim(*ylim)
    ax.set_aspect("equal")
    ax.axis("off")
    ax.set_title(title, fontsize=10)
    fig.tight_layout()
    return fig


def _state_line(ax: plt.Axes, y: float, old: str, new: str, *, keep_x: float, add_x: float) -> None:
    """The line a gated cell's state runs along: old state -> scaled by a gate (⊙) -> added to (+) -> new state."""
    ax.text(-0.1, y, old, ha="right", va="center", **_LABEL)
    _route(ax, (0, y), (keep_x - 0.22, y))
    _op(ax, keep_x, y, r"$\odot$")
    _route(ax, (keep_x + 0.22, y), (add_x - 0.22, y))
    _op(ax, add_x, y, r"$+$")
    _route(ax, (add_x + 0.22, y), (11.0, y))
    ax.text(11.1, y, new, ha="left", va="center", **_LABEL)


def draw_lstm_cell() -> plt.Figure:
    """One LSTM step in chapter 5's symbols: gates i_t, f_t, o_t, candidate g_t, cell state c_t, state h_t.

    Chapter 5 uses it to open the cell before computing a step by hand: the cell state runs along the top,
    is scaled by the forget gate and added to by the input gate times the candidate,
    c_t = f_t ⊙ c_{t-1} + i_t ⊙ g_t, and the output gate shows tanh(c_t) as h_t = o_t ⊙ tanh(c_t).
    Each gate box names its own W, U, b (it computes x_t W + h_{t-1} U + b); Keras stores them as i, f, g, o.
    """
    fig, ax = plt.subplots(figsize=(8.6, 4.4))
    top, mid, gates, bus = 4.6, 3.5, 2.3, 1.0   # y of the cell-state line, the i*g product, the gates, the input bus
    fx, ix, gx, ox, tx = 2.2, 3.9, 5.6, 7.3, 9.0  # x of f, i, g, o and of tanh(c_t)
    box_w, box_h = 1.5, 0.85
    ax.add_patch(FancyBboxPatch((0.9, 0.45), 9.2, 4.75, boxstyle="round,pad=0.1", facecolor="#f3f6fb",
                                edgecolor="0.6", linewidth=1, zorder=0))
    # The cell state: c_{t-1} -> forget (⊙ f_t) -> add (+ i_t ⊙ g_t) -> c_t.
    _state_line(ax, top, r"$c_{t-1}$", r"$c_t$", keep_x=fx, add_x=gx)
    # The inputs: h_{t-1} from the left, x_t from below, into every gate.
    ax.text(-0.1, bus, r"$h_{t-1}$", ha="right", va="center", **_LABEL)
    _route(ax, (0, bus), (ox, bus), arrow=False)
    ax.text(1.45, -0.35, r"$x_t$", ha="center", va="top", **_LABEL)
    _route(ax, (1.45, -0.3), (1.45, bus), arrow=False)
    _junction(ax, 1.45, bus)
    for x in (fx, ix, gx, ox):
        if x != ox:  # the bus ends under the output gate
            _junction(ax, x, bus)
        _route(ax, (x, bus), (x, gates - box_h / 2 - 0.04))
    for x, fn, gate in ((fx, r"$\sigma$", "f"), (ix, r"$\sigma$", "i"), (gx, r"$\tanh$", "g"), (ox, r"$\sigma$", "o")):
        _rect(ax, x, gates, box_w, box_h, fn, _GATE, weights=rf"$W_{gate},\,U_{gate},\,b_{gate}$")
    # Forget gate up to the cell state; input gate times candidate, added to it.
    _route(ax, (fx, gates + box_h / 2 + 0.04), (fx, top - 0.22))
    ax.text(fx + 0.1, mid + 0.05, r"$f_t$", ha="left", va="center", **_LABEL)
    _route(ax, (ix, gates + box_h / 2 + 0.04), (ix, mid), (gx - 0.22, mid))
    ax.text(ix + 0.1, (gates + mid) / 2 + 0.2, r"$i_t$", ha="left", va="center", **_LABEL)
    _route(ax, (gx, gates + box_h / 2 + 0.04), (gx, mid - 0.22))
    ax.text(gx + 0.1, (gates + box_h / 2 + mid - 0.22) / 2, r"$g_t$", ha="left", va="center", **_LABEL)
    _op(ax, gx, mid, r"$\odot$")
    _route(ax, (gx, mid + 0.22), (gx, top - 0.22))
    # The output: o_t ⊙ tanh(c_t) = h_t, out to the right (the next step, and the layer's output).
    _route(ax, (tx, top), (tx, mid + 0.28))
    _junction(ax, tx, top)
    _rect(ax, tx, mid, 1.0, 0.5, r"$\tanh$", _OP)
    _route(ax, (tx, mid - 0.28), (tx, gates + 0.22))
    _op(ax, tx, gates, r"$\odot$")
    _route(ax, (ox + box_w / 2 + 0.04, gates), (tx - 0.22, gates))
    ax.text((ox + box_w / 2 + tx) / 2, gates + 0.1, r"$o_t$", ha="center", va="bottom", **_LABEL)
    _route(ax, (tx, gates - 0.22), (tx, bus), (11.0, bus))
    ax.text(11.1, bus, r"$h_t$", ha="left", va="center", **_LABEL)
    title = (r"The LSTM cell: $c_t = f_t \odot c_{t-1} + i_t \odot g_t$,  $h_t = o_t \odot \tanh(c_t)$"
             + "\n" + r"gates $\sigma(x_t W + h_{t-1} U + b)$ between 0 and 1; candidate $g_t$ from $\tanh$")
    return _finish(fig, ax, (-0.9, 11.8), (-0.8, 5.4), title)


def draw_gru_cell() -> plt.Figure:
    """One GRU step in chapter 6's symbols and Keras's convention (``reset_after=True``).

    Chapter 6 uses it to open the cell before computing a step by hand: the update gate z_t keeps the old
    state and 1 - z_t writes the candidate, h_t = z_t ⊙ h_{t-1} + (1 - z_t) ⊙ h̃_t, and the reset gate r_t
    scales the recurrent term after its product, r_t ⊙ (h_{t-1} U_h + b'_h), which is why b' exists.
    """
    fig, ax = plt.subplots(figsize=(8.6, 4.6))
    top, mid, gates, hbus, xbus = 4.8, 3.65, 2.3, 1.05, 0.45  # y of the state line, 1 - z, gates, h and x buses
    zx, rx, px, hx = 2.4, 4.3, 6.2, 8.1  # x of z, r, the reset product and the candidate
    box_w, box_h = 1.6, 0.85
    ax.add_patch(FancyBboxPatch((0.9, -0.05), 9.1, 5.45, boxstyle="round,pad=0.1", facecolor="#f3f6fb",
                                edgecolor="0.6", linewidth=1, zorder=0))
    # The state: h_{t-1} -> keep (⊙ z_t) -> add (+ (1 - z_t) ⊙ h̃_t) -> h_t.
    _state_line(ax, top, r"$h_{t-1}$", r"$h_t$", keep_x=zx, add_x=hx)
    # The inputs: h_{t-1} branches down to a bus, x_t comes from below; the gates read both.
    _junction(ax, 1.3, top)
    _route(ax, (1.3, top), (1.3, hbus), (px, hbus), arrow=False)
    ax.text(1.9, -0.55, r"$x_t$", ha="center", va="top", **_LABEL)
    _route(ax, (1.9, -0.5), (1.9, xbus), (hx, xbus), arrow=False)
    for x in (zx, rx):
        _junction(ax, x, xbus)
        _junction(ax, x, hbus)
        _route(ax, (x, xbus), (x, gates - box_h / 2 - 0.04))
    _rect(ax, zx, gates, box_w, box_h, r"$\sigma$", _GATE, weights=r"$W_z,\,U_z,\,b_z,\,b'_z$")
    _rect(ax, rx, gates, box_w, box_h, r"$\sigma$", _GATE, weights=r"$W_r,\,U_r,\,b_r,\,b'_r$")
    # Update gate: z_t keeps the old state; 1 - z_t weighs the candidate.
    _route(ax, (zx, gates + box_h / 2 + 0.04), (zx, top - 0.22))
    ax.text(zx - 0.1, (gates + box_h / 2 + mid) / 2, r"$z_t$", ha="right", va="center", **_LABEL)
    _junction(ax, zx, mid)
    _route(ax, (zx, mid), (px - 0.3, mid))
    _op(ax, px, mid, r"$1-$", radius=0.3)
    _route(ax, (px + 0.3, mid), (hx - 0.22, mid))
    ax.text((px + hx) / 2, mid + 0.1, r"$1-z_t$", ha="center", va="bottom", **_LABEL)
    # Reset gate: r_t scales the recurrent product h_{t-1} U_h + b'_h, then the candidate h̃_t.
    _route(ax, (px, hbus), (px, gates - 0.6))
    _rect(ax, px, gates - 0.4, 1.25, 0.4, r"$U_h,\,b'_h$", _OP)
    _route(ax, (px, gates - 0.2), (px, gates + 0.12))
    _op(ax, px, gates + 0.34, r"$\odot$")
    _route(ax, (rx + box_w / 2 + 0.04, gates + 0.34), (px - 0.22, gates + 0.34))
    ax.text((rx + box_w / 2 + px - 0.22) / 2, gates + 0.44, r"$r_t$", ha="center", va="bottom", **_LABEL)
    _route(ax, (px + 0.22, gates + 0.34), (hx - box_w / 2 - 0.04, gates + 0.34))
    _rect(ax, hx, gates, box_w, box_h, r"$\tanh$", _GATE, weights=r"$W_h,\,b_h$")
    _junction(ax, hx, xbus)
    _route(ax, (hx, xbus), (hx, gates - box_h / 2 - 0.04))
    _route(ax, (hx, gates + box_h / 2 + 0.04), (hx, mid - 0.22))
    ax.text(hx + 0.1, (gates + box_h / 2 + mid) / 2, r"$\tilde h_t$", ha="left", va="center", **_LABEL)
    _op(ax, hx, mid, r"$\odot$")
    _route(ax, (hx, mid + 0.22), (hx, top - 0.22))
    title = (r"The GRU cell (Keras, reset_after=True): $h_t = z_t \odot h_{t-1} + (1 - z_t) \odot \tilde h_t$"
             + "\n" + r"$\tilde h_t = \tanh\left(x_t W_h + b_h + r_t \odot (h_{t-1} U_h + b'_h)\right)$")
    return _finish(fig, ax, (-0.9, 11.8), (-1.0, 5.6), title)


def _require_dilations(dilations: Sequence[int]) -> tuple[int, ...]:
    """Return ``dilations`` as a tuple of ints >= 1, one per layer (a list, tuple or 1D NumPy array)."""
    dilations = tuple(require_sized(dilations, "dilations", what="integers, one per layer"))
    if not dilations:
        raise ValueError("dilations must name at least one layer, got an empty sequence.")
    return tuple(require_int(d, f"dilations[{i}]") for i, d in enumerate(dilations))


def _receptive_field(dilations: Sequence[int], kernel_size: int) -> int:
    """R = 1 + sum over layers of d_l (k - 1): how many input steps one output of the stack sees."""
    return 1 + (kernel_size - 1) * sum(dilations)


def draw_dilated_causal_stack(dilations: Sequence[int] = (1, 2, 4, 8), kernel_size: int = 2) -> plt.Figure:
    """A stack of causal Conv1D layers, one row of time steps per layer, as in chapter 7's WaveNet section.

    Chapter 7 uses it to show where the receptive field R = 1 + (k - 1) * sum(dilations) comes from: the
    connections feeding the last output are traced back through every layer and highlighted, and the
    highlighted input steps are exactly R (the other connections are drawn faint). Causal padding keeps every
    layer as long as the input and lets no output see a later step. Dilations that skip steps, such as (2, 2),
    leave gaps inside the field: the title then says how many of the R steps the last output really sees.
    """
    from matplotlib.collections import LineCollection

    dilations = _require_dilations(dilations)
    kernel_size = require_int(kernel_size, "kernel_size", minimum=2)
    if len(dilations) > 10:
        raise ValueError(f"dilations must have at most 10 layers to stay legible, got {len(dilations)}.")
    field = _receptive_field(dilations, kernel_size)
    if field > 64:
        raise ValueError(
            f"dilations and kernel_size give a receptive field of {field} steps; at most 64 stay legible "
            "(use fewer or smaller dilations, or a smaller kernel_size)."
        )
    n_layers, steps = len(dilations), field + 4  # a few steps outside the field show where it ends
    # Trace the last output back: in layer l (1-based), step t reads steps t - j * d_l, j = 0 .. k - 1.
    reached = [set() for _ in range(n_layers + 1)]
    reached[n_layers] = {steps - 1}
    edges, highlighted = [], []
    for layer in range(n_layers, 0, -1):
        d = dilations[layer - 1]
        for t in range(steps):
            for j in range(kernel_size):
                source = t - j * d
                if source < 0:  # causal padding: zeros before the first step, not drawn
                    continue
                edge = [(source, layer - 1), (t, layer)]
                if t in reached[layer]:
                    highlighted.append(edge)
                    reached[layer - 1].add(source)
                else:
                    edges.append(edge)
    width = min(8.8, max(6.4, 2.2 + 0.2 * steps))
    fig, ax = plt.subplots(figsize=(width, 0.5 * n_layers + 1.7))
    ax.add_collection(LineCollection(edges, colors="0.82", linewidths=0.7, zorder=1))
    ax.add_collection(LineCollection(highlighted, colors="#c0392b", linewidths=1.4, zorder=2,
                                     label="traced connections", gid="traced connections"))
    marker = max(9.0, min(30.0, 1400.0 / steps))
    for row in range(n_layers + 1):
        traced = sorted(reached[row])
        others = [t for t in range(steps) if t not in reached[row]]
        ax.scatter(others, [row] * len(others), s=marker, color="white", edgecolors="0.55", linewidths=0.8,
                   zorder=3)
        name = "receptive field" if row == 0 else f"traced, layer {row}"
        ax.scatter(traced, [row] * len(traced), s=marker, color="#c0392b", edgecolors="#7b241c", linewidths=0.8,
                   zorder=4, label=name, gid=name)
        label = r"input $x$" if row == 0 else rf"layer {row}: $d = {dilations[row - 1]}$"
        ax.text(-1.2, row, label, ha="right", va="center", fontsize=9)
    ax.text(steps - 1, n_layers + 0.45, "last output", ha="center", va="bottom", fontsize=9, color="#7b241c")
    ax.set_xlim(-1.0, steps - 0.4)
    ax.set_ylim(-0.6, n_layers + 0.9)
    ax.axis("off")
    terms = "+".join(str(d) for d in dilations)
    seen = len(reached[0])  # equals the field unless the dilations skip steps, e.g. (2, 2) or (1, 4) with k = 2
    title = (f"Dilated causal convolutions, kernel size $k = {kernel_size}$: receptive field\n"
             rf"$R = 1 + (k-1)\sum_\ell d_\ell = 1 + {kernel_size - 1} \cdot ({terms}) = {field}$ input steps")
    if seen == field:
        title += " (highlighted)"
    else:
        title += f",\nof which the last output sees only the {seen} highlighted: these dilations leave gaps"
    ax.set_title(title, fontsize=10)
    fig.tight_layout()
    return fig
