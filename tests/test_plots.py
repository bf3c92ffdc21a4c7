"""course_utils.plots and diagrams: they draw what they say, and refuse bad input."""

from __future__ import annotations

import numpy as np
import pytest

import course_utils as cu


def test_plot_series_with_forecast_and_split():
    y = np.sin(np.arange(50.0))
    forecast = np.full(50, np.nan)
    forecast[40:] = y[40:] + 0.1
    ax = cu.plot_series(y, forecast, split=40, title="t")
    assert len(ax.lines) == 3  # actual, forecast, split marker
    assert ax.get_legend_handles_labels()[1][-1] == "train | test"
    relabelled = cu.plot_series(y, forecast, split=40, split_label="seed | generated")
    assert relabelled.get_legend_handles_labels()[1][-1] == "seed | generated"
    np.testing.assert_array_equal(ax.lines[0].get_ydata(), y)
    assert ax.get_title() == "t"


def test_plot_series_with_dates():
    s = cu.load_sunspots()
    ax = cu.plot_series(s.to_numpy(), x=s.index)
    assert len(ax.lines) == 1


def test_plot_learning_curves_from_dict():
    ax = cu.plot_learning_curves({"loss": [1.0, 0.5, 0.25], "val_loss": [1.1, 0.6, 0.4]})
    assert [line.get_label() for line in ax.lines] == ["loss", "validation loss"]
    assert ax.get_yscale() == "log"


def test_validation_losses_sit_at_the_epochs_keras_measured_them():
    """fit(validation_freq=2) over 5 epochs validates after epochs 2 and 4."""
    ax = cu.plot_learning_curves({"loss": [5, 4, 3, 2, 1], "val_loss": [4.5, 2.5]}, validation_freq=2)
    assert list(ax.lines[1].get_xdata()) == [2, 4]
    assert list(ax.lines[0].get_xdata()) == [1, 2, 3, 4, 5]


@pytest.mark.parametrize(
    "call, error, fragment",
    [
        (lambda: cu.plot_series(np.zeros(5), np.zeros(4)), ValueError, "forecast has 4"),
        (lambda: cu.plot_series(np.zeros(5), x=np.arange(4)), ValueError, "x has 4"),
        (lambda: cu.plot_series([1.0, 2.0]), TypeError, "y"),
        (lambda: cu.plot_learning_curves({"accuracy": [1]}), TypeError, "history"),
        (lambda: cu.plot_learning_curves([0.1, 0.2]), TypeError, "history"),
        (lambda: cu.plot_learning_curves({"loss": [1, 2, 3, 4], "val_loss": [1, 2]}), ValueError, "validation_freq"),
        (lambda: cu.plot_learning_curves({"loss": [1, 2]}, validation_freq=0), ValueError, "validation_freq"),
        (lambda: cu.draw_unrolled_rnn(0), ValueError, "n_steps"),
        (lambda: cu.draw_unrolled_rnn(20), ValueError, "n_steps"),
    ],
)
def test_bad_input(call, error, fragment):
    with pytest.raises(error, match=fragment):
        call()


def test_unrolled_diagram_has_a_cell_per_step():
    fig = cu.draw_unrolled_rnn(3)
    texts = [t.get_text() for t in fig.axes[0].texts]
    assert texts.count("cell") == 4  # folded + 3 unrolled
    assert "$x_{3}$" in texts and "$y_{3}$" in texts


def test_unrolled_diagram_labels_every_weight_in_the_chapters_symbols():
    fig = cu.draw_unrolled_rnn(3)
    texts = [t.get_text() for t in fig.axes[0].texts]
    for weight in ("x", "h", "y"):
        assert texts.count(rf"$\mathbf{{W}}_{weight}$") == 4  # folded + 3 unrolled


@pytest.mark.parametrize("n_steps", [1, 4, 8])
def test_unrolled_diagram_no_label_touches_an_arrow(n_steps):
    """The "=" between the folded and the unrolled views once touched the h_0 arrow."""
    from matplotlib.patches import FancyArrowPatch

    fig = cu.draw_unrolled_rnn(n_steps)
    ax = fig.axes[0]
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    arrows = [p.get_window_extent(renderer) for p in ax.patches if isinstance(p, FancyArrowPatch)]
    assert len(arrows) == 3 * n_steps + 3
    touching = [t.get_text() for t in ax.texts for arrow in arrows if t.get_window_extent(renderer).overlaps(arrow)]
    assert not touching, touching


def test_model_comparison_draws_dots_not_bars_with_intervals_seeds_and_the_lines():
    import matplotlib.pyplot as plt

    ax = cu.plot_model_comparison({"naive": 0.02, "LSTM": 0.002}, baseline=0.02, floor=0.00083)
    assert not ax.patches and ax.get_xscale() == "log"           # no bars: a bar's length on a log axis means nothing
    dots = [line for line in ax.get_lines() if line.get_marker() == "D"]
    assert len(dots) == 1 and list(dots[0].get_xdata()) == [0.02, 0.002]
    assert len(ax.get_lines()) == 3                              # the dots, the baseline, the floor
    assert any("(2.41x floor)" in t.get_text() for t in ax.texts)
    plt.close("all")
    ax = cu.plot_model_comparison({"naive": 0.02, "LSTM": 0.002}, intervals={"LSTM": (0.0018, 0.0023)},
                                  seeds={"LSTM": [0.0019, 0.002, 0.0021]}, floor=0.00083)
    interval = [line for line in ax.get_lines() if list(line.get_xdata()) == [0.0018, 0.0023]]
    seed_dots = [line for line in ax.get_lines() if line.get_marker() == "o"]
    assert len(interval) == 1 and list(interval[0].get_ydata()) == [1, 1]
    assert len(seed_dots) == 1 and list(seed_dots[0].get_xdata()) == [0.0019, 0.002, 0.0021]
    plt.close("all")
    with pytest.raises(ValueError, match="intervals"):
        cu.plot_model_comparison({"LSTM": 0.002}, intervals={"GRU": (0.001, 0.003)})


def test_forecast_plot_draws_inputs_truth_and_every_model_per_series():
    import matplotlib.pyplot as plt

    X = np.arange(3 * 30, dtype=float).reshape(3, 30, 1)
    y = np.ones((3, 4))
    fig = cu.plot_forecasts(X, y, {"naive": np.zeros((3, 4)), "model": 2 * np.ones((3, 4))}, series=(0, 2), history=10)
    assert len(fig.axes) == 2
    ax = fig.axes[1]                                     # series 2
    inputs, truth, naive, model = ax.get_lines()
    assert list(inputs.get_xdata()) == list(range(20, 30)) and list(inputs.get_ydata()) == list(X[2, 20:, 0])
    assert list(truth.get_xdata()) == [30, 31, 32, 33] and list(truth.get_ydata()) == [1, 1, 1, 1]
    assert list(model.get_ydata()) == [2, 2, 2, 2] and model.get_label() == "model"
    plt.close("all")


# --- Gated cells (chapters 5, 6) and the dilated causal stack (chapter 7) -------------------------------------

from course_utils.diagrams import draw_dilated_causal_stack, draw_gru_cell, draw_lstm_cell  # noqa: E402

# Every symbol of the chapters' equations, as the figures write them (book/05_lstm.ipynb, book/06_gru.ipynb).
LSTM_SYMBOLS = {
    "$x_t$", "$h_{t-1}$", "$c_{t-1}$", "$f_t$", "$i_t$", "$g_t$", "$o_t$", "$c_t$", "$h_t$",
    r"$\sigma$", r"$\tanh$", r"$\odot$", "$+$",
    r"$W_i,\,U_i,\,b_i$", r"$W_f,\,U_f,\,b_f$", r"$W_g,\,U_g,\,b_g$", r"$W_o,\,U_o,\,b_o$",
}
GRU_SYMBOLS = {
    "$x_t$", "$h_{t-1}$", "$h_t$", "$z_t$", "$r_t$", r"$\tilde h_t$", "$1-z_t$",
    r"$\sigma$", r"$\tanh$", r"$\odot$", "$+$", "$1-$",
    r"$W_z,\,U_z,\,b_z,\,b'_z$", r"$W_r,\,U_r,\,b_r,\,b'_r$", r"$W_h,\,b_h$", r"$U_h,\,b'_h$",
}


def _texts(fig) -> set[str]:
    return {t.get_text() for t in fig.axes[0].texts}


def test_lstm_cell_writes_every_symbol_of_chapter_5():
    import matplotlib.pyplot as plt

    fig = draw_lstm_cell()
    assert isinstance(fig, plt.Figure)
    assert LSTM_SYMBOLS <= _texts(fig), LSTM_SYMBOLS - _texts(fig)
    assert r"$\tilde" not in " ".join(_texts(fig))  # chapter 5 calls the candidate g_t, not c~_t
    title = fig.axes[0].get_title()
    assert r"$c_t = f_t \odot c_{t-1} + i_t \odot g_t$" in title and r"$h_t = o_t \odot \tanh(c_t)$" in title
    plt.close(fig)


def test_gru_cell_writes_every_symbol_of_chapter_6_in_keras_convention():
    import matplotlib.pyplot as plt

    fig = draw_gru_cell()
    assert isinstance(fig, plt.Figure)
    assert GRU_SYMBOLS <= _texts(fig), GRU_SYMBOLS - _texts(fig)
    title = fig.axes[0].get_title()
    assert r"$h_t = z_t \odot h_{t-1} + (1 - z_t) \odot \tilde h_t$" in title  # Keras keeps the old state with z
    assert r"r_t \odot (h_{t-1} U_h + b'_h)" in title  # reset_after=True
    plt.close(fig)


def _segments(ax, renderer):
    """Display-space bounding boxes of every arrow and of every straight line segment of the axes."""
    from matplotlib.patches import FancyArrowPatch
    from matplotlib.transforms import Bbox

    boxes = [p.get_window_extent(renderer) for p in ax.patches if isinstance(p, FancyArrowPatch)]
    for line in ax.lines:
        xy = ax.transData.transform(line.get_xydata())
        boxes += [Bbox([a, b]) for a, b in zip(xy[:-1], xy[1:])]
    return boxes


@pytest.mark.parametrize("draw", [draw_lstm_cell, draw_gru_cell], ids=["lstm", "gru"])
def test_cell_labels_touch_no_line_and_no_other_label(draw):
    import matplotlib.pyplot as plt

    fig = draw()
    assert fig.get_size_inches()[0] <= 9  # the book's width
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    ax = fig.axes[0]
    lines = _segments(ax, renderer)
    labels = [(t.get_text(), t.get_window_extent(renderer)) for t in ax.texts]
    touching = [text for text, box in labels for line in lines if box.overlaps(line)]
    assert not touching, touching
    crowded = [(a, b) for i, (a, box_a) in enumerate(labels) for b, box_b in labels[i + 1:] if box_a.overlaps(box_b)]
    assert not crowded, crowded
    figure = fig.bbox
    title = ax.title.get_window_extent(renderer)
    assert figure.x0 <= title.x0 and title.x1 <= figure.x1
    plt.close(fig)


def _traced_inputs(fig) -> list[float]:
    (collection,) = [c for c in fig.axes[0].collections if c.get_gid() == "receptive field"]
    return sorted(collection.get_offsets()[:, 0])


@pytest.mark.parametrize(
    "dilations, kernel_size",
    [((1, 2, 4, 8), 2), ((1, 2, 4, 8, 16) * 2, 2), ((1, 3), 3), ([1], 2), ((1, 3, 9), 3), ((1, 1, 1), 2), ((1, 2), 3), (np.array([1, 2, 4]), 2)],
)
def test_dilated_stack_highlights_exactly_the_receptive_field(dilations, kernel_size):
    import matplotlib.pyplot as plt

    fig = draw_dilated_causal_stack(dilations, kernel_size)
    assert isinstance(fig, plt.Figure)
    field = 1 + (kernel_size - 1) * sum(dilations)  # chapter 7's R = 1 + sum_l d_l (k - 1)
    inputs = _traced_inputs(fig)
    from matplotlib.collections import PathCollection

    dots = [c for c in fig.axes[0].collections if isinstance(c, PathCollection)]
    steps = 1 + int(max(c.get_offsets()[:, 0].max() for c in dots if len(c.get_offsets())))
    assert len(inputs) == field
    assert inputs == list(range(steps - field, steps))  # the last R steps: causal, contiguous
    ax = fig.axes[0]
    assert f"= {field}$ input steps (highlighted)" in ax.get_title()
    texts = _texts(fig)
    for layer, d in enumerate(dilations, start=1):
        assert rf"layer {layer}: $d = {d}$" in texts
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    title = ax.title.get_window_extent(renderer)
    assert fig.bbox.x0 <= title.x0 and title.x1 <= fig.bbox.x1 and fig.get_size_inches()[0] <= 9
    plt.close(fig)


@pytest.mark.parametrize("dilations, kernel_size, seen", [((2, 2), 2, 3), ((1, 4), 2, 4), ((2, 2, 2), 4, 10)])
def test_dilated_stack_with_gaps_says_how_many_steps_it_sees(dilations, kernel_size, seen):
    """Dilations that skip steps: the field R still spans the highlighted inputs, but has holes."""
    import matplotlib.pyplot as plt

    fig = draw_dilated_causal_stack(dilations, kernel_size)
    field = 1 + (kernel_size - 1) * sum(dilations)
    inputs = _traced_inputs(fig)
    assert len(inputs) == seen < field
    assert inputs[-1] - inputs[0] + 1 == field
    title = fig.axes[0].get_title()
    assert f"= {field}$ input steps" in title and f"only the {seen} highlighted" in title
    plt.close(fig)


def test_dilated_stack_defaults_are_chapter_7s_first_example():
    import matplotlib.pyplot as plt

    fig = draw_dilated_causal_stack()
    assert len(_traced_inputs(fig)) == 16  # 1 + (2 - 1) * (1 + 2 + 4 + 8)
    plt.close(fig)


@pytest.mark.parametrize(
    "kwargs, error, fragment",
    [
        (dict(dilations=()), ValueError, "dilations"),
        (dict(dilations=4), TypeError, "dilations"),
        (dict(dilations="1248"), TypeError, "dilations"),
        (dict(dilations={1: 2}), TypeError, "dilations"),
        (dict(dilations=(1, 0, 4)), ValueError, r"dilations\[1\]"),
        (dict(dilations=(1, 2.0)), TypeError, r"dilations\[1\]"),
        (dict(dilations=(1,) * 11), ValueError, "dilations"),
        (dict(dilations=(16, 32, 64)), ValueError, "receptive field of 113"),
        (dict(kernel_size=1), ValueError, "kernel_size"),
        (dict(kernel_size=2.5), TypeError, "kernel_size"),
        (dict(kernel_size=True), TypeError, "kernel_size"),
    ],
)
def test_dilated_stack_refuses_bad_arguments(kwargs, error, fragment):
    with pytest.raises(error, match=fragment):
        draw_dilated_causal_stack(**kwargs)
