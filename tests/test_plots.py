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


def test_model_comparison_draws_one_bar_per_model_and_the_lines():
    import matplotlib.pyplot as plt

    ax = cu.plot_model_comparison({"naive": 0.02, "LSTM": 0.002}, baseline=0.02, floor=0.00083)
    assert len(ax.patches) == 2 and ax.get_xscale() == "log"
    assert len(ax.get_lines()) == 2
    plt.close("all")
