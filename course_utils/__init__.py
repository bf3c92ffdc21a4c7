"""Helpers for the course "Recurrent neural networks for time series".

Chapters import this package first; it keeps TensorFlow's start-up log lines
out of notebook outputs. A helper's docstring names the chapter that first
calls it (tests/test_docstring_chapters.py keeps those numbers true).

The recipes the chapters teach in cells marked ``#@save`` (``cu.fit``, ``cu.generate``,
``cu.lstm_recipe``, ...) live in ``course_utils.recipes``, generated from those cells;
they load on first use, because they import Keras.
"""

from __future__ import annotations

import importlib
import os

# Before TensorFlow is imported anywhere: keep its C++ log lines (errors still raise in Python) out of outputs.
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

from .datasets import (  # noqa: E402
    SYNTHETIC_NOISE_WIDTH,
    damped_curve,
    load_sunspots,
    synthetic_forecasting_splits,
    synthetic_noise_variance,
    two_sine_series,
)
from .diagrams import draw_dilated_causal_stack, draw_gru_cell, draw_lstm_cell, draw_unrolled_rnn  # noqa: E402
from .gpu import cudnn_blockers  # noqa: E402
from .environment import course_seed, describe_device, seed_everything, setup  # noqa: E402
from .metrics import mae, max_abs_error, mse, rmse  # noqa: E402
from .plots import plot_forecasts, plot_learning_curves, plot_model_comparison, plot_series, set_plot_style  # noqa: E402
from .study import load_study, seed_values, study_history, study_summary  # noqa: E402
from .shapes import (  # noqa: E402
    check_model_input,
    check_shape,
    check_targets,
    conv1d_output_length,
    describe_shape,
)
from .windows import every_step_targets, non_overlapping_windows, shifted_windows, sliding_windows  # noqa: E402

__version__ = "0.1.0"


def __getattr__(name: str):
    """``cu.fit`` and the other saved recipes: imported from ``course_utils.recipes`` on first use."""
    if not name.startswith("_"):
        recipes = importlib.import_module(f"{__name__}.recipes")   # not `from . import`: that calls __getattr__
        if name == "recipes":
            return recipes
        if name in recipes.SAVED_FROM:
            return getattr(recipes, name)
    raise AttributeError(f"module 'course_utils' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), *importlib.import_module(f"{__name__}.recipes").SAVED_FROM})

__all__ = [
    "SYNTHETIC_NOISE_WIDTH",
    "check_model_input",
    "check_shape",
    "check_targets",
    "conv1d_output_length",
    "course_seed",
    "cudnn_blockers",
    "damped_curve",
    "describe_device",
    "describe_shape",
    "draw_dilated_causal_stack",
    "draw_gru_cell",
    "draw_lstm_cell",
    "draw_unrolled_rnn",
    "every_step_targets",
    "load_study",
    "load_sunspots",
    "mae",
    "max_abs_error",
    "mse",
    "non_overlapping_windows",
    "plot_forecasts",
    "plot_learning_curves",
    "plot_model_comparison",
    "plot_series",
    "rmse",
    "seed_everything",
    "seed_values",
    "set_plot_style",
    "setup",
    "shifted_windows",
    "sliding_windows",
    "study_history",
    "study_summary",
    "synthetic_forecasting_splits",
    "synthetic_noise_variance",
    "two_sine_series",
]
