"""One table of bad inputs across the public helpers of course_utils.

Every case must raise ValueError or TypeError whose message names the argument,
raised from course_utils itself, not from deep inside NumPy, pandas or Keras.
"""

from __future__ import annotations

import itertools
import traceback

import numpy as np
import pandas as pd
import pytest

import course_utils as cu

GOOD = np.sin(np.arange(40.0))
MONTHLY = pd.Series(np.sin(np.arange(40.0)), index=pd.date_range("2000-01-01", periods=40, freq="MS"))


def _dense():
    import keras

    return keras.layers.Dense(2)


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
    # Dates that would make windows run backwards or straddle a gap.
    ("unsorted dates", lambda: cu.sliding_windows(MONTHLY.iloc[::-1], 3), ValueError, "sort_index"),
    ("repeated dates", lambda: cu.sliding_windows(pd.concat([MONTHLY, MONTHLY.iloc[-1:]]), 3), ValueError,
     "repeated dates"),
    ("a missing month", lambda: cu.sliding_windows(MONTHLY.drop(MONTHLY.index[10]), 3), ValueError,
     "not evenly spaced"),
    ("a missing month, as NaN", lambda: cu.shifted_windows(MONTHLY.mask(MONTHLY.index == MONTHLY.index[5]), 3),
     ValueError, "NaN"),
    # Sizes that cannot fit in memory, refused before NumPy tries.
    ("curve of 10**12 samples", lambda: cu.damped_curve(n_samples=10**12), ValueError, "n_samples"),
    ("10**13 sine values", lambda: cu.two_sine_series(10**9, 10**4), ValueError, "two_sine_series"),
    ("splits of 10**12 values", lambda: cu.synthetic_forecasting_splits(n_series=10**9, sizes=(10, 10)),
     ValueError, "n_series"),
    ("windows of 10**10 values", lambda: cu.sliding_windows(np.zeros(200_000), 100_000), ValueError, "windows"),
    ("shifted windows too large", lambda: cu.shifted_windows(np.zeros(200_000), 100_000), ValueError, "windows"),
    ("every-step targets too large", lambda: cu.every_step_targets(np.zeros((1_000, 400, 1)), np.zeros((1_000, 400))),
     ValueError, "every-step targets"),
    # Shapes with impossible sizes.
    ("negative time steps", lambda: cu.describe_shape((32, -20, 1)), ValueError, "shape[1]"),
    ("zero features", lambda: cu.describe_shape((32, 20, 0)), ValueError, "shape[2]"),
    ("a string shape", lambda: cu.describe_shape("32, 20, 1"), TypeError, "shape"),
    ("expected shape negative", lambda: cu.check_shape(np.zeros((2, 3)), (2, -3)), ValueError, "expected[1]"),
    ("conv zero stride", lambda: cu.conv1d_output_length(10, 3, stride=0), ValueError, "stride"),
    # Plots that would draw nothing, or the wrong thing, without a word.
    ("empty losses", lambda: cu.plot_learning_curves({"loss": []}), ValueError, "history['loss']"),
    ("NaN losses", lambda: cu.plot_learning_curves({"loss": [1.0, float("nan")]}), ValueError, "diverged"),
    ("NaN validation losses", lambda: cu.plot_learning_curves({"loss": [1.0], "val_loss": [float("inf")]}),
     ValueError, "history['val_loss']"),
    ("zero validation_freq", lambda: cu.plot_learning_curves({"loss": [1.0]}, validation_freq=0), ValueError,
     "validation_freq"),
    ("split beyond the series", lambda: cu.plot_series(GOOD, split=100), ValueError, "split"),
    ("split of another kind", lambda: cu.plot_series(MONTHLY, x=MONTHLY.index, split=3.5), TypeError, "split"),
    ("2-D values", lambda: cu.plot_series(np.zeros((40, 2))), ValueError, "y"),
    ("2-D forecast", lambda: cu.plot_series(GOOD, np.zeros((40, 3))), ValueError, "forecast"),
    ("labels as a string", lambda: cu.plot_series(GOOD, GOOD, labels="actual"), TypeError, "labels"),
    ("one label for two lines", lambda: cu.plot_series(GOOD, GOOD, labels=["actual"]), ValueError, "labels"),
    ("x of another length", lambda: cu.plot_series(GOOD, x=np.arange(5)), ValueError, "x"),
    ("comparison NaN score", lambda: cu.plot_model_comparison({"a": float("nan")}), ValueError, "scores"),
    ("comparison reversed interval", lambda: cu.plot_model_comparison({"a": 1.0}, intervals={"a": (2.0, 1.0)}),
     ValueError, "intervals['a']"),
    ("comparison zero floor", lambda: cu.plot_model_comparison({"a": 1.0}, floor=0.0), ValueError, "floor"),
    ("forecasts series as a string", lambda: cu.plot_forecasts(np.zeros((3, 5, 1)), np.zeros((3, 2)),
                                                               {"m": np.zeros((3, 2))}, series="0"),
     TypeError, "series"),
    ("forecasts negative series", lambda: cu.plot_forecasts(np.zeros((3, 5, 1)), np.zeros((3, 2)),
                                                            {"m": np.zeros((3, 2))}, series=[-1]),
     ValueError, "series[0]"),
    # The study's tables: missing columns, strings for lists, a floor of zero.
    ("seed values missing column", lambda: cu.seed_values(cu.load_study(), "LSTM(64)", "test_rmse"), ValueError,
     "test_rmse"),
    ("seed values of a dict", lambda: cu.seed_values({"model": []}, "LSTM(64)", "valid_mse"), TypeError, "runs"),
    ("summary with a string of models", lambda: cu.study_summary(cu.load_study(), "LSTM(64)"), TypeError, "models"),
    ("summary with a zero floor", lambda: cu.study_summary(cu.load_study(), ["LSTM(64)"], floor=0), ValueError,
     "floor"),
    ("summary without columns", lambda: cu.study_summary(pd.DataFrame({"model": ["a"]}), ["a"]), ValueError,
     "runs"),
    ("history of unfiltered curves", lambda: cu.study_history(cu.load_study("curves"), "LSTM(64)"), ValueError,
     "curves"),
    ("history without columns", lambda: cu.study_history(pd.DataFrame({"model": ["a"]}), "a"), ValueError, "curves"),
    ("table name not a string", lambda: cu.load_study(["runs"]), ValueError, "table"),
    # Metrics on two pandas objects: compared by position, so their indexes must agree.
    ("metric on misaligned series", lambda: cu.mse(MONTHLY, MONTHLY.shift(1, freq="MS")), ValueError, "reindex"),
    ("rmse on misaligned series", lambda: cu.rmse(MONTHLY.iloc[1:], MONTHLY.iloc[:-1]), ValueError, "y_pred"),
    # The rest of the public names.
    ("seed negative", lambda: cu.seed_everything(-1), ValueError, "seed"),
    ("seed float", lambda: cu.seed_everything(1.5), TypeError, "seed"),
    ("cudnn of a Dense layer", lambda: cu.cudnn_blockers(_dense()), TypeError, "layer"),
    ("dilations empty", lambda: cu.draw_dilated_causal_stack(()), ValueError, "dilations"),
    ("dilations zero", lambda: cu.draw_dilated_causal_stack((1, 0)), ValueError, "dilations[1]"),
    ("noise width string", lambda: cu.synthetic_noise_variance("0.1"), TypeError, "width"),
    # Found by a second search: endless iterators, overflow, seeds, empty axes, matrices, masks, durations.
    ("dilations from an endless iterator", lambda: cu.draw_dilated_causal_stack(itertools.count(1)), TypeError,
     "dilations"),
    ("a shape from an endless iterator", lambda: cu.describe_shape(itertools.count(1)), TypeError, "shape"),
    ("a shape of a 0-d array", lambda: cu.describe_shape(np.array(3)), TypeError, "shape"),
    ("too many panels", lambda: cu.plot_forecasts(np.zeros((20, 5, 1)), np.zeros((20, 2)), {"m": np.zeros((20, 2))},
                                                  series=range(15)), ValueError, "series"),
    ("a huge integer as a float", lambda: cu.damped_curve(stop=10**400), ValueError, "stop"),
    ("a width whose square overflows", lambda: cu.synthetic_noise_variance(1e200), ValueError, "width"),
    ("a seed above 2**32 - 1", lambda: cu.seed_everything(2**32), ValueError, "seed"),
    ("an empty axis", lambda: cu.max_abs_error(np.zeros((3, 0)), np.zeros((3, 0))), ValueError, "y_true"),
    ("zero time steps", lambda: cu.every_step_targets(np.zeros((4, 0, 1)), np.zeros((4, 3))), ValueError, "X"),
    ("a zero horizon", lambda: cu.every_step_targets(np.zeros((4, 5, 1)), np.zeros((4, 0))), ValueError, "y"),
    ("an np.matrix", lambda: cu.mse(np.matrix(np.ones((2, 3))), np.matrix(np.zeros((2, 3)))), TypeError, "y_true"),
    ("a masked array", lambda: cu.mse(np.ma.array([1.0, 100, 3], mask=[0, 1, 0]), np.array([1.0, 2, 3])),
     TypeError, "y_true"),
    ("durations as numbers", lambda: cu.mse(np.ones(3).astype("m8[D]"), np.ones(3).astype("m8[s]")), TypeError,
     "y_true"),
    ("DataFrames with other columns", lambda: cu.mse(FRAME[["a", "b"]], FRAME[["b", "a"]]), ValueError, "columns"),
    ("a 0-d array", lambda: cu.mse(np.array(1.0), np.array(2.0)), ValueError, "y_true"),
    ("x as a dict", lambda: cu.plot_series(GOOD, x=dict.fromkeys(range(40))), TypeError, "x"),
    ("x out of order", lambda: cu.plot_series(GOOD, x=np.arange(40)[::-1]), ValueError, "x"),
    ("split as a bool", lambda: cu.plot_series(GOOD, split=True), TypeError, "split"),
    ("ax as a string", lambda: cu.plot_series(GOOD, ax="foo"), TypeError, "ax"),
    ("losses as text", lambda: cu.plot_learning_curves({"loss": ["a", "b"]}), TypeError, "history['loss']"),
    ("losses at or below zero on a log scale", lambda: cu.plot_learning_curves({"loss": [0.0, 0.5]}), ValueError,
     "log"),
    ("a score as text", lambda: cu.plot_model_comparison({"a": "x"}), TypeError, "scores"),
    ("a seed at zero on a log scale", lambda: cu.plot_model_comparison({"a": 1.0}, seeds={"a": [0.0, 1.0]}),
     ValueError, "seeds['a']"),
    ("forecasts of another length than X", lambda: cu.plot_forecasts(np.zeros((5, 5, 1)), np.zeros((3, 2)),
                                                                     {"m": np.zeros((3, 2))}), ValueError, "X"),
    ("a history of a list of models", lambda: cu.study_history(cu.load_study("curves"), ["LSTM(64)"]), TypeError,
     "model"),
    ("repeated study rows", lambda: cu.seed_values(pd.concat([cu.load_study(), cu.load_study()]), "LSTM(64)",
                                                   "valid_mse"), ValueError, "runs"),
    ("a model named twice", lambda: cu.study_summary(cu.load_study(), ["LSTM(64)", "LSTM(64)"]), ValueError,
     "models"),
    ("an empty score column", lambda: cu.seed_values(cu.load_study(), "naive", "closed_loop_error"), ValueError,
     "closed_loop_error"),
    ("stride and dilation together", lambda: cu.conv1d_output_length(10, 3, stride=2, dilation=2), ValueError,
     "dilation"),
    ("a Dense model's features", lambda: cu.check_model_input(_dense_model(), np.zeros((4, 7))), ValueError, "x"),
    ("a matrix series", lambda: cu.sliding_windows(np.matrix(GOOD).T, 3), TypeError, "series"),
    ("a missing period", lambda: cu.sliding_windows(PERIODS.drop(PERIODS.index[3]), 3), ValueError,
     "not evenly spaced"),
]
FRAME = pd.DataFrame({"a": [1.0, 2.0], "b": [3.0, 4.0]})
PERIODS = pd.Series(np.arange(40.0), index=pd.period_range("2000-01", periods=40, freq="M"))


def _dense_model():
    import keras

    return keras.Sequential([keras.Input((5,)), keras.layers.Dense(1)])


@pytest.mark.parametrize("call, error, name", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
@pytest.mark.rule
def test_bad_input_gets_a_clear_error_from_course_utils(call, error, name):
    with pytest.raises((ValueError, TypeError)) as info:
        call()
    assert info.type is error, f"expected {error.__name__}, got {info.type.__name__}: {info.value}"
    assert name in str(info.value), f"the message should name {name!r}: {info.value}"
    raised_in = traceback.extract_tb(info.tb)[-1].filename
    assert "course_utils" in raised_in, f"raised from {raised_in}, not from course_utils"


#: Public names that take no argument a learner could get wrong, or are constants.
TAKES_NOTHING = {"SYNTHETIC_NOISE_WIDTH", "load_sunspots", "describe_device", "set_plot_style", "draw_lstm_cell",
                 "draw_gru_cell", "course_seed"}


@pytest.mark.rule
def test_every_public_name_has_bad_inputs_here():
    import inspect

    source = inspect.getsource(__import__(__name__))
    untested = [n for n in cu.__all__ if n not in TAKES_NOTHING and f"cu.{n}(" not in source]
    assert not untested, f"add bad inputs for {untested}"


def test_course_seed_refuses_a_bad_environment_variable(monkeypatch):
    monkeypatch.setenv("COURSE_SEED", "-3")
    with pytest.raises(ValueError, match="COURSE_SEED"):
        cu.course_seed()


def test_the_table_is_large_enough():
    assert len(CASES) >= 80


@pytest.mark.parametrize("index", [
    pd.date_range("2000-01-15", periods=40, freq="MS") + pd.Timedelta(days=14),   # monthly, on the 15th
    pd.DatetimeIndex(pd.bdate_range("2000-01-03", periods=40).tolist()),           # business days, no freq set
    pd.DatetimeIndex(pd.date_range("2000-01-01", periods=40, freq="2h").tolist()),  # every two hours
    pd.period_range("2000-01", periods=40, freq="M"),
], ids=["monthly on the 15th", "business days", "every two hours", "monthly periods"])
def test_regular_dates_are_accepted(index):
    X, y = cu.sliding_windows(pd.Series(np.arange(40.0), index=index), 3)
    assert X.shape == (37, 3, 1) and y[0, 0] == 3.0
