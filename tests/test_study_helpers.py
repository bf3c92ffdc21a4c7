"""course_utils.study reads the shipped study tables and summarises them per model, in the order asked."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import course_utils as cu


def _runs():
    return pd.DataFrame({
        "task": "synthetic", "model": ["b", "b", "a", "a"], "seed": [1, 0, 0, 1], "parameters": [10, 10, 5, 5],
        "epochs": [3, 3, 2, 2], "seconds": [1.0, 3.0, 2.0, 2.0], "valid_mse": [0.2, 0.4, 0.1, 0.3],
        "test_mse": [0.5, 0.7, 0.2, 0.2], "closed_loop_error": np.nan})


def test_summary_gives_mean_and_range_over_seeds_in_the_order_asked():
    table = cu.study_summary(_runs(), ["b", "a"], floor=0.1)
    assert list(table.index) == ["b", "a"]
    assert abs(table.loc["b", "valid_mse"] - 0.3) < 1e-12
    assert (table.loc["b", "valid_mse lowest"], table.loc["b", "valid_mse highest"]) == (0.2, 0.4)
    assert table.loc["b", "seconds"] == 2.0 and table.loc["a", "parameters"] == 5 and table.loc["a", "seeds"] == 2
    assert abs(table.loc["a", "test_mse / floor"] - 2.0) < 1e-12
    assert "closed_loop_error" not in table                 # a score no chosen model has is left out


def test_seed_values_come_in_seed_order():
    assert list(cu.seed_values(_runs(), "b", "valid_mse")) == [0.4, 0.2]


def test_every_shipped_table_loads():
    for table in cu.study.STUDY_TABLES:
        assert len(cu.load_study(table)) > 0


def test_study_history_gives_the_losses_of_one_model_and_refuses_mixed_seeds():
    curves = pd.DataFrame({"task": "damped", "model": "m", "seed": 0, "epoch": [2, 1, 3, 4],
                           "loss": [0.5, 1.0, 0.25, 0.2], "val_loss": [0.6, np.nan, np.nan, 0.3]})
    assert cu.study_history(curves, "m") == {"loss": [1.0, 0.5, 0.25, 0.2], "val_loss": [0.6, 0.3]}
    mixed = pd.concat([curves, curves.assign(seed=1)])
    with pytest.raises(ValueError, match="one task and one seed"):
        cu.study_history(mixed, "m")
