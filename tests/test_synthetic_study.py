"""The tables chapters 5-7 read (course_utils/data/synthetic_study*.csv) match the code that made them."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

from tools.bench import synthetic_study as study

TABLES = ["synthetic_study.csv", "synthetic_study_curves.csv", "synthetic_study_forecasts.csv",
          "synthetic_study_sensitivity.csv"]


@pytest.mark.parametrize("name", TABLES)
@pytest.mark.rule
def test_table_is_from_the_current_recipes(name):
    header = (study.DATA / name).read_text().splitlines()[0]
    found = re.search(r"recipe ([0-9a-f]{12})", header)
    assert found, header
    assert found.group(1) == study.recipe_fingerprint(), (
        f"{name}: the saved recipes of chapters 5-7 changed since the study ran: make study")


def test_every_model_and_seed_is_there():
    runs = pd.read_csv(study.OUT, comment="#")
    synthetic = runs[runs["task"] == "synthetic"]
    damped = runs[runs["task"] == "damped"]
    assert list(dict.fromkeys(synthetic["model"])) == [label for label, _, _ in study.SYNTHETIC_ROWS]
    assert list(dict.fromkeys(damped["model"])) == [label for label, _ in study.DAMPED_ROWS]
    assert runs.groupby(["task", "model"]).size().eq(3).all()
    assert sorted(set(runs["seed"])) == [0, 1, 2]
    trained = synthetic[synthetic["model"] != "naive"]
    assert (trained["seconds"] > 0).all() and (trained["epochs"] > 0).all()
    assert (synthetic["test_low"] <= synthetic["test_mse"]).all() and (synthetic["test_mse"] <= synthetic["test_high"]).all()
    assert (damped["closed_loop_error"] > 0).all()


def test_matched_models_have_matched_sizes():
    runs = pd.read_csv(study.OUT, comment="#").query("seed == 0").set_index("model")["parameters"]
    lstm = runs["LSTM(64)"]
    for model in ["SimpleRNN(127)", "GRU(73)", "LSTM(64), last step only"]:
        assert abs(runs[model] / lstm - 1) < 0.01, model


def test_curves_and_forecasts_cover_every_trained_model():
    runs = pd.read_csv(study.OUT, comment="#")
    curves = pd.read_csv(study.DATA / "synthetic_study_curves.csv", comment="#")
    epochs = curves.groupby(["task", "model", "seed"]).size()
    for _, run in runs[runs["epochs"] > 0].iterrows():
        assert epochs[(run["task"], run["model"], run["seed"])] == run["epochs"]
    forecasts = pd.read_csv(study.DATA / "synthetic_study_forecasts.csv", comment="#")
    assert set(forecasts.query("task == 'synthetic'")["model"]) == {l for l, _, _ in study.SYNTHETIC_ROWS} | {"truth"}
    sensitivity = pd.read_csv(study.DATA / "synthetic_study_sensitivity.csv", comment="#")
    assert set(sensitivity["model"]) == {l for l, r, _ in study.SYNTHETIC_ROWS if r is not None}
    assert sensitivity.groupby("model").size().eq(10 * 50).all()


def test_bootstrap_interval_covers_the_mean_and_narrows_with_more_series():
    rng = np.random.default_rng(0)
    few, many = rng.exponential(size=100), rng.exponential(size=10_000)
    low, high = study.bootstrap_interval(few)
    assert low < few.mean() < high
    low_many, high_many = study.bootstrap_interval(many)
    assert high_many - low_many < (high - low) / 5
