"""The results of `make study` (tools/bench/synthetic_study.py), shipped with the package.

Chapters 5-7 compare models over three seeds and, once, on the test split. Training all
of them takes about half an hour on a 2-core CPU, so the study runs once, with the
chapters' own saved recipes, and the chapters read its tables here (in Colab too).
"""

from __future__ import annotations

from importlib.resources import files

import numpy as np
import pandas as pd

from .validation import require_columns, require_float, require_names

STUDY_NUMBERS = ("parameters", "epochs", "seconds")

#: table name -> file in course_utils/data/
STUDY_TABLES = {
    "runs": "synthetic_study.csv",
    "curves": "synthetic_study_curves.csv",
    "forecasts": "synthetic_study_forecasts.csv",
    "sensitivity": "synthetic_study_sensitivity.csv",
}


def load_study(table: str = "runs") -> pd.DataFrame:
    """One of the study's tables (chapter 5): "runs" (one row per model and seed), "curves" (losses per
    epoch), "forecasts" (seed 0's test forecasts and damped curves) or "sensitivity" (seed 0's Jacobians)."""
    if not isinstance(table, str) or table not in STUDY_TABLES:
        raise ValueError(f"table must be one of {sorted(STUDY_TABLES)}, got {table!r}.")
    with (files("course_utils") / "data" / STUDY_TABLES[table]).open() as handle:
        return pd.read_csv(handle, comment="#")


def study_summary(runs: pd.DataFrame, models: list[str], *, floor: float | None = None) -> pd.DataFrame:
    """Per model of `models` (in that order): parameters, epochs, median training seconds, and each score's
    mean over seeds with its lowest and highest seed (chapter 5)."""
    require_columns(runs, ("model", *STUDY_NUMBERS), "runs")
    _require_one_run_each(runs, "runs")
    models = require_names(models, "models")
    if len(set(models)) != len(models):
        raise ValueError(f"models names a model twice: {models}.")
    if floor is not None:
        floor = require_float(floor, "floor", positive=True)
    missing = [m for m in models if m not in set(runs["model"])]
    if missing:
        raise ValueError(f"models {missing} are not in the study; it has {sorted(set(runs['model']))}.")
    chosen = runs[runs["model"].isin(models)]
    scores = [c for c in ["valid_mse", "test_mse", "closed_loop_error"] if c in chosen and chosen[c].notna().any()]
    grouped = chosen.groupby("model", sort=False)
    table = pd.DataFrame({"parameters": grouped["parameters"].first(), "epochs": grouped["epochs"].first(),
                          "seeds": grouped.size(), "seconds": grouped["seconds"].median()})
    for column in scores:
        table[column] = grouped[column].mean()
        table[f"{column} lowest"] = grouped[column].min()
        table[f"{column} highest"] = grouped[column].max()
        if floor is not None and column.endswith("mse"):
            table[f"{column} / floor"] = table[column] / floor
    return table.loc[models]


def seed_values(runs: pd.DataFrame, model: str, column: str) -> np.ndarray:
    """One score of one model, seed by seed, in seed order (chapter 5)."""
    if not isinstance(model, str) or not isinstance(column, str):
        raise TypeError(f"model and column must be names (strings), got {model!r} and {column!r}.")
    require_columns(runs, ("model", "seed", column), "runs")
    _require_one_run_each(runs, "runs")
    values = runs[runs["model"] == model].sort_values("seed")[column].to_numpy()
    if values.size == 0:
        raise ValueError(f"model {model!r} is not in the study; it has {sorted(set(runs['model']))}.")
    if not np.issubdtype(values.dtype, np.number) or np.isnan(values).all():
        raise ValueError(f"model {model!r} has no {column} in the study (the column is empty for it).")
    return values


def _require_one_run_each(runs: pd.DataFrame, name: str) -> None:
    """One row per model and seed: repeated rows, or one model's rows from several tasks, would be averaged
    without a word."""
    keys = [c for c in ("model", "seed") if c in runs.columns]
    if runs.duplicated(keys).any():
        raise ValueError(f"{name} has several rows for one model and seed (repeated rows, or several tasks): "
                         f"keep one of each, e.g. {name}.query(\"task == 'synthetic'\").")
    for column in STUDY_NUMBERS:
        if column in runs.columns and not pd.api.types.is_numeric_dtype(runs[column]):
            raise ValueError(f"{name}[{column!r}] must hold numbers, got dtype {runs[column].dtype}.")


def study_history(curves: pd.DataFrame, model: str) -> dict[str, list[float]]:
    """One model's training and validation losses from the study's "curves" table, filtered to one task and
    seed, as `cu.plot_learning_curves` takes them (chapter 5)."""
    if not isinstance(model, str):
        raise TypeError(f"model must be a name (a string), got {model!r}.")
    require_columns(curves, ("model", "epoch", "loss", "val_loss", "task", "seed"), "curves")
    rows = curves[curves["model"] == model].sort_values("epoch")
    if rows.empty:
        raise ValueError(f"model {model!r} is not in these curves; they have {sorted(set(curves['model']))}.")
    if rows[["task", "seed"]].drop_duplicates().shape[0] != 1:
        raise ValueError("curves must hold one task and one seed: filter them first, e.g. "
                         "curves.query(\"task == 'synthetic' and seed == 0\").")
    if rows["epoch"].tolist() != list(range(1, len(rows) + 1)):
        raise ValueError(f"curves must hold each epoch of {model!r} once, 1, 2, ...; got epochs "
                         f"{rows['epoch'].tolist()[:6]}...")
    return {"loss": rows["loss"].tolist(), "val_loss": rows["val_loss"].dropna().tolist()}
