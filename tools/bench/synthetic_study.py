"""The comparisons of chapters 5-7, three seeds each, and the course's one final comparison on the test split.

    python -m tools.bench.synthetic_study [--quick] [--seeds 0 1 2]

Each row trains one model with a chapter's own saved recipe (`course_utils.recipes`), so
the numbers belong to the code the chapters teach. The rows are built to change one
thing at a time:

- SimpleRNN(127), LSTM(64) and GRU(73): the same recipe at matched parameter counts
  (about 17,500 each, within 1 %);
- LSTM(64) on every step against the same LSTM on the last step only
  (`unscored_steps = n_steps - 1`): only the loss weights differ;
- GRU(73) alone against Conv1D + GRU(73): the same recurrent layer, with and
  without the strided convolution in front;
- SimpleRNN(40) and LSTM(40) on chapter 3's damped curve, at chapter 5's budget.

The recipes were chosen on the validation split (the chapters show how); this script
is the only place that touches the test split, once per trained model. Three seeds at
the full budgets take about half an hour on a 2-core CPU, too long for the chapters,
so the results are written once into course_utils/data/ (shipped with the package, so
the chapters read them in Colab too):

- synthetic_study.csv: one row per model and seed (parameters, epochs, training
  seconds, validation and test MSE with a bootstrap interval over the test series,
  or the damped curve's closed-loop error);
- synthetic_study_curves.csv: training and validation loss per epoch;
- synthetic_study_forecasts.csv: seed 0's forecasts of the first test series and
  the damped curves it generated;
- synthetic_study_sensitivity.csv: seed 0's mean |d forecast_k / d input_t| on 500
  validation series, per forecast step k and input step t (a Jacobian per output).

Their first line holds a fingerprint of the saved code; tests/test_synthetic_study.py
fails when the code changes and the study was not re-run. A quick run (one seed, one
epoch, 500 training series) only proves the code works and writes to _build/.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import time
from pathlib import Path

import numpy as np
import pandas as pd

import course_utils as cu
from tools.bench import pairs as bench
from tools.bench.fingerprint import fingerprint
from tools.course_config import ROOT

DATA = ROOT / "course_utils" / "data"
OUT = DATA / "synthetic_study.csv"
QUICK_DIR = ROOT / "_build" / "synthetic-study-quick"
N_FORECASTS = 4          # test series whose forecasts are kept, for the chapters' plots
N_SENSITIVITY = 500      # validation series over which seed 0's input sensitivities are averaged

#: (model label, saved recipe, keyword arguments); every label is unique and is what the chapters look up
SYNTHETIC_ROWS: list[tuple[str, str | None, dict]] = [
    ("naive", None, {}),
    ("linear", "linear_recipe", {}),
    ("SimpleRNN(127)", "simple_rnn_recipe", {}),
    ("LSTM(64)", "lstm_recipe", {}),
    ("LSTM(64), last step only", "lstm_recipe", {"unscored_steps": 49}),
    ("GRU(73)", "gru_recipe", {}),
    ("Conv1D + GRU(73)", "conv_gru_recipe", {}),
    ("dilated causal stack", "dilated_stack_recipe", {}),
]
DAMPED_ROWS: list[tuple[str, str]] = [("SimpleRNN(40)", "SimpleRNN"), ("LSTM(40)", "LSTM")]

#: the saved code the study runs: when any of it changes, the shipped tables are stale
FINGERPRINTED = ("fit", "step_weights", "EpochSeconds", "recurrent_forecaster", "last_step_forecast",
                 "every_step_recipe", "linear_recipe", "simple_rnn_recipe", "lstm_recipe", "gru_recipe", "conv_gru",
                 "conv_gru_recipe", "dilated_causal_stack", "dilated_stack_recipe", "damped_layer_recipe",
                 "damped_recipe", "next_value_model", "generate", "rnn_next", "closed_loop_error",
                 "synthetic_forecasting_splits", "two_sine_series", "every_step_targets",
                 "synthetic_task", "repeat_last_value", "bootstrap_picks")


def recipe_fingerprint() -> str:
    """A hash of what every saved function and data helper the study calls does (tools/bench/fingerprint.py)."""
    return fingerprint([getattr(cu, name) for name in FINGERPRINTED])


def bootstrap_interval(squared_errors: np.ndarray, *, n_boot: int = 2000, seed: int = 0) -> tuple[float, float]:
    """95 % percentile interval of the mean squared error, resampling the test series with replacement
    (chapter 4's `cu.bootstrap_picks` with blocks of one: the series are independent)."""
    means = squared_errors[cu.bootstrap_picks(len(squared_errors), n_boot=n_boot, seed=seed)].mean(axis=1)
    return float(np.percentile(means, 2.5)), float(np.percentile(means, 97.5))


def synthetic_data(quick: bool):
    task = cu.synthetic_task()
    (X_train, y_train, _), (X_valid, y_valid, _) = task["train"], task["valid"]
    X_test, y_test = task["test"]
    if quick:
        X_train, y_train = X_train[:500], y_train[:500]
    return X_train, y_train, X_valid, y_valid, X_test, y_test


def run_synthetic(label: str, recipe: str | None, kwargs: dict, seed: int, quick: bool):
    """Train one model (none for the naive forecast); return its row, its curves and its test forecasts."""
    X_train, y_train, X_valid, y_valid, X_test, y_test = synthetic_data(quick)
    horizon = y_train.shape[1]
    cu.seed_everything(seed)
    if recipe is None:
        def forecast(X):
            return cu.repeat_last_value(X, horizon)
        row, history = {"parameters": 0, "epochs": 0, "seconds": 0.0}, None
    else:
        train_fn = getattr(cu.recipes, recipe)
        epochs = {"epochs": 1} if quick else {}
        if recipe == "linear_recipe":                  # the linear model learns the last step's target only
            model, history, seconds = train_fn(X_train, y_train, validation_data=(X_valid, y_valid), **epochs,
                                               **kwargs)
            def forecast(X):
                return model.predict(X, verbose=0)
        else:
            model, history, seconds = train_fn(X_train, cu.every_step_targets(X_train, y_train),
                                               validation_data=(X_valid, cu.every_step_targets(X_valid, y_valid)),
                                               **epochs, **kwargs)
            def forecast(X):
                return cu.last_step_forecast(model, X)
        row = {"parameters": model.count_params(), "epochs": len(history.epoch), "seconds": seconds}
    test_forecast = forecast(X_test)
    squared = ((test_forecast - y_test) ** 2).mean(axis=1)          # one MSE per test series
    low, high = bootstrap_interval(squared)
    row.update(task="synthetic", model=label, seed=seed, valid_mse=cu.mse(y_valid, forecast(X_valid)),
               test_mse=float(squared.mean()), test_low=low, test_high=high, closed_loop_error=np.nan)
    row["sensitivity"] = None if recipe is None else input_sensitivity(model, X_valid[:N_SENSITIVITY], linear=recipe == "linear_recipe")
    return row, history, test_forecast[:N_FORECASTS]


def input_sensitivity(model, X, *, linear: bool) -> np.ndarray:
    """Mean |d forecast_k / d input_t| over the series: one row per forecast step k, one column per input step t
    (a Jacobian per output, not the gradient of their sum)."""
    import tensorflow as tf

    X = tf.convert_to_tensor(X, dtype="float32")
    with tf.GradientTape() as tape:
        tape.watch(X)
        forecast = model(X) if linear else model(X)[:, -1]       # (series, horizon)
    jacobian = tape.batch_jacobian(forecast, X).numpy()[..., 0]   # (series, horizon, input steps)
    return np.abs(jacobian).mean(axis=0)


def run_damped(label: str, layer_name: str, seed: int, quick: bool):
    """Chapter 5's damped-curve comparison: `damped_layer_recipe` with one layer, closed-loop error."""
    import keras

    y, X, Y = bench._damped_data()
    cu.seed_everything(seed)
    model, history, seconds = cu.recipes.damped_layer_recipe(X, Y, layer=getattr(keras.layers, layer_name),
                                                             **({"epochs": 2} if quick else {}))
    generated = cu.generate(cu.rnn_next(model), y[:bench.DAMPED_WINDOW], len(y))
    row = {"task": "damped", "model": label, "seed": seed, "parameters": model.count_params(),
           "epochs": len(history.epoch), "seconds": seconds, "valid_mse": np.nan, "test_mse": np.nan,
           "test_low": np.nan, "test_high": np.nan,
           "closed_loop_error": cu.closed_loop_error(generated, y, bench.DAMPED_WINDOW)}
    return row, history, generated


def curve_rows(task: str, model: str, seed: int, history) -> list[dict]:
    if history is None:
        return []
    losses = history.history["loss"]
    validation = history.history.get("val_loss", [])
    every = len(losses) // len(validation) if validation else 0      # validation_freq of the fit
    val_at = {every * (k + 1): v for k, v in enumerate(validation)}
    return [{"task": task, "model": model, "seed": seed, "epoch": e + 1, "loss": loss,
             "val_loss": val_at.get(e + 1, np.nan)} for e, loss in enumerate(losses)]


def write(table: pd.DataFrame, path: Path, header: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"# {header}\n" + table.to_csv(index=False, float_format="%.6g"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="one seed, one epoch, 500 series, into _build/")
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    args = parser.parse_args(argv)
    seeds = args.seeds[:1] if args.quick else args.seeds
    recipe = recipe_fingerprint()     # now, from the code about to run: the files may change during the run
    start = time.perf_counter()
    rows, curves, forecasts, sensitivities = [], [], [], []
    _, _, _, _, _, y_test = synthetic_data(args.quick)
    for seed in seeds:
        for label, recipe, kwargs in SYNTHETIC_ROWS:
            row, history, forecast = run_synthetic(label, recipe, kwargs, seed, args.quick)
            sensitivity = row.pop("sensitivity")
            rows.append(row)
            curves += curve_rows("synthetic", label, seed, history)
            if seed == seeds[0] and sensitivity is not None:
                n_steps = sensitivity.shape[1]
                sensitivities += [{"model": label, "output": k + 1, "steps_back": n_steps - 1 - t, "sensitivity": v}
                                  for k, values in enumerate(sensitivity) for t, v in enumerate(values)]
            if seed == seeds[0]:
                forecasts += [{"task": "synthetic", "model": label, "series": i, "step": k, "value": v}
                              for i, values in enumerate(forecast) for k, v in enumerate(values)]
            print(f"{label:26s} seed {seed}: valid {row['valid_mse']:.5f} test {row['test_mse']:.5f} "
                  f"({row['seconds']:.0f} s)", flush=True)
        for label, layer_name in DAMPED_ROWS:
            row, history, generated = run_damped(label, layer_name, seed, args.quick)
            rows.append(row)
            curves += curve_rows("damped", label, seed, history)
            if seed == seeds[0]:
                forecasts += [{"task": "damped", "model": label, "series": 0, "step": k, "value": v}
                              for k, v in enumerate(generated)]
            print(f"damped {label:19s} seed {seed}: closed-loop {row['closed_loop_error']:.4f} "
                  f"({row['seconds']:.0f} s)", flush=True)
    forecasts += [{"task": "synthetic", "model": "truth", "series": i, "step": k, "value": v}
                  for i, values in enumerate(y_test[:N_FORECASTS]) for k, v in enumerate(values)]
    out_dir = QUICK_DIR if args.quick else DATA
    header = (f"python -m tools.bench.synthetic_study, recipe {recipe}, {dt.date.today()}, "
              f"{platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, {len(seeds)} seeds, "
              f"{(time.perf_counter() - start) / 60:.1f} minutes in all, one process, "
              f"load average at the end {os.getloadavg()[0]:.1f}")
    columns = ["task", "model", "seed", "parameters", "epochs", "seconds", "valid_mse", "test_mse", "test_low",
               "test_high", "closed_loop_error"]
    write(pd.DataFrame(rows)[columns], out_dir / OUT.name, header)
    write(pd.DataFrame(curves), out_dir / "synthetic_study_curves.csv", header)
    write(pd.DataFrame(forecasts), out_dir / "synthetic_study_forecasts.csv", header)
    write(pd.DataFrame(sensitivities), out_dir / "synthetic_study_sensitivity.csv", header)
    print(f"wrote {out_dir.relative_to(ROOT)}/synthetic_study*.csv")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
