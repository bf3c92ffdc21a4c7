"""One table of bad inputs across the public helpers of course_utils.

Every case must raise ValueError or TypeError whose message names the argument,
raised from course_utils itself, not from deep inside NumPy, pandas or Keras.
"""

from __future__ import annotations

import traceback

import numpy as np
import pytest

import course_utils as cu

GOOD = np.sin(np.arange(40.0))


def _model():
    import keras

    return keras.Sequential([keras.Input((20, 1)), keras.layers.SimpleRNN(3), keras.layers.Dense(2)])


CASES = [
    # (id, call, exception, text the message must contain)
    ("window longer than series", lambda: cu.sliding_windows(GOOD, 40), ValueError, "window"),
    ("zero window", lambda: cu.sliding_windows(GOOD, 0), ValueError, "window"),
    ("negative window", lambda: cu.non_overlapping_windows(GOOD, -2), ValueError, "window"),
    ("float window", lambda: cu.shifted_windows(GOOD, 2.0), TypeError, "window"),
    ("bool window", lambda: cu.sliding_windows(GOOD, True), TypeError, "window"),
    ("zero stride", lambda: cu.shifted_windows(GOOD, 3, stride=0), ValueError, "stride"),
    ("list series", lambda: cu.sliding_windows([1.0, 2.0, 3.0], 1), TypeError, "series"),
    ("3D series", lambda: cu.sliding_windows(np.zeros((2, 5, 1)), 2), ValueError, "series"),
    ("multi-column series", lambda: cu.non_overlapping_windows(np.zeros((9, 2)), 2), ValueError, "series"),
    ("empty series", lambda: cu.sliding_windows(np.array([]), 1), ValueError, "series"),
    ("NaN in series", lambda: cu.sliding_windows(np.r_[GOOD, np.nan], 3), ValueError, "series"),
    ("inf in series", lambda: cu.shifted_windows(np.r_[np.inf, GOOD], 3), ValueError, "series"),
    ("string dtype", lambda: cu.sliding_windows(np.array(["1", "2", "3"]), 1), TypeError, "series"),
    ("bool dtype", lambda: cu.sliding_windows(np.array([True, False, True]), 1), TypeError, "series"),
    ("complex dtype", lambda: cu.sliding_windows(np.array([1j, 2j, 3j]), 1), TypeError, "series"),
    ("metric shape mismatch", lambda: cu.mse(np.zeros(5), np.zeros((5, 1))), ValueError, "y_pred"),
    ("metric length mismatch", lambda: cu.rmse(np.zeros(5), np.zeros(6)), ValueError, "y_true"),
    ("metric NaN", lambda: cu.mae(np.array([np.nan]), np.zeros(1)), ValueError, "y_true"),
    ("metric list", lambda: cu.max_abs_error(np.zeros(2), [0.0, 0.0]), TypeError, "y_pred"),
    ("metric empty", lambda: cu.mse(np.zeros(0), np.zeros(0)), ValueError, "y_true"),
    ("curve too short", lambda: cu.damped_curve(n_samples=1), ValueError, "n_samples"),
    ("curve zero tau", lambda: cu.damped_curve(tau=0.0), ValueError, "tau"),
    ("curve inf stop", lambda: cu.damped_curve(stop=float("inf")), ValueError, "stop"),
    ("curve string tau", lambda: cu.damped_curve(tau="5"), TypeError, "tau"),
    ("series count zero", lambda: cu.two_sine_series(0, 10), ValueError, "n_series"),
    ("negative seed", lambda: cu.two_sine_series(5, 10, seed=-1), ValueError, "seed"),
    ("noise width negative", lambda: cu.synthetic_noise_variance(-1.0), ValueError, "width"),
    ("splits leave no test", lambda: cu.synthetic_forecasting_splits(n_series=10, sizes=(5, 5)), ValueError, "sizes"),
    ("2D windows for a 3D shape", lambda: cu.check_shape(np.zeros((180, 20)), (180, 20, 1)), ValueError, "array"),
    ("shape of a list", lambda: cu.check_shape([[1.0]], (1, 1)), TypeError, "array"),
    ("model input wrong features", lambda: cu.check_model_input(_model(), np.zeros((4, 20, 3))), ValueError, "x"),
    ("model input 2D", lambda: cu.check_model_input(_model(), np.zeros((4, 20))), ValueError, "x"),
    ("targets that do not fit", lambda: cu.check_targets(_model(), np.zeros((4, 1))), ValueError, "y"),
    ("not a model", lambda: cu.check_targets(object(), np.zeros((4, 1))), TypeError, "model"),
    ("conv kernel too long", lambda: cu.conv1d_output_length(2, 5), ValueError, "kernel"),
    ("conv bad padding", lambda: cu.conv1d_output_length(10, 3, padding="full"), ValueError, "padding"),
    ("forecast length", lambda: cu.plot_series(GOOD, GOOD[:-1]), ValueError, "forecast"),
    ("history without loss", lambda: cu.plot_learning_curves({"mae": [1.0]}), TypeError, "history"),
    ("setup string seed", lambda: cu.setup("1", verbose=False), TypeError, "seed"),
    ("diagram too wide", lambda: cu.draw_unrolled_rnn(50), ValueError, "n_steps"),
    ("every-step targets 2D X", lambda: cu.every_step_targets(np.zeros((4, 5)), np.zeros((4, 2))), ValueError, "X"),
    ("every-step targets 1D y", lambda: cu.every_step_targets(np.zeros((4, 5, 1)), np.zeros(4)), ValueError, "y"),
    ("every-step targets row mismatch", lambda: cu.every_step_targets(np.zeros((4, 5, 1)), np.zeros((3, 2))), ValueError, "rows"),
    ("every-step targets two features", lambda: cu.every_step_targets(np.zeros((4, 5, 2)), np.zeros((4, 2))), ValueError, "X"),
    ("comparison empty", lambda: cu.plot_model_comparison({}), TypeError, "scores"),
    ("comparison negative", lambda: cu.plot_model_comparison({"a": -1.0}), ValueError, "scores"),
    ("comparison interval of no model", lambda: cu.plot_model_comparison({"a": 1.0}, seeds={"b": [1.0]}), ValueError, "seeds"),
    ("forecasts empty", lambda: cu.plot_forecasts(np.zeros((3, 5, 1)), np.zeros((3, 2)), {}), TypeError, "forecasts"),
    ("forecasts wrong horizon", lambda: cu.plot_forecasts(np.zeros((3, 5, 1)), np.zeros((3, 2)), {"m": np.zeros((3, 4))}), ValueError, "forecasts['m']"),
    ("forecasts 2D X", lambda: cu.plot_forecasts(np.zeros((3, 5)), np.zeros((3, 2)), {"m": np.zeros((3, 2))}), ValueError, "X"),
    ("forecasts too few series", lambda: cu.plot_forecasts(np.zeros((2, 5, 1)), np.zeros((2, 2)), {"m": np.zeros((3, 2))}), ValueError, "series"),
    ("study unknown table", lambda: cu.load_study("losses"), ValueError, "table"),
    ("study unknown model", lambda: cu.study_summary(cu.load_study(), ["LSTM(65)"]), ValueError, "models"),
    ("seed values unknown model", lambda: cu.seed_values(cu.load_study(), "GRU", "valid_mse"), ValueError, "model"),
]


@pytest.mark.parametrize("call, error, name", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_bad_input_gets_a_clear_error_from_course_utils(call, error, name):
    with pytest.raises((ValueError, TypeError)) as info:
        call()
    assert info.type is error, f"expected {error.__name__}, got {info.type.__name__}: {info.value}"
    assert name in str(info.value), f"the message should name {name!r}: {info.value}"
    raised_in = traceback.extract_tb(info.tb)[-1].filename
    assert "course_utils" in raised_in, f"raised from {raised_in}, not from course_utils"


def test_the_table_is_large_enough():
    assert len(CASES) >= 30
