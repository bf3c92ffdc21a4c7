"""The ablation table chapter 3 reads (course_utils/data/damped_ablation.csv) matches the code that made it."""

from __future__ import annotations

import pytest

import re

import pandas as pd

from tools.bench import damped_ablation


@pytest.mark.rule
def test_table_is_from_the_current_recipe():
    header = damped_ablation.OUT.read_text().splitlines()[0]
    found = re.search(r"recipe ([0-9a-f]{12})", header)
    assert found, header
    assert found.group(1) == damped_ablation.recipe_fingerprint(), (
        "chapter 3's saved recipe changed since the ablation ran: python -m tools.bench.damped_ablation")


def test_table_has_every_row_and_seed():
    runs = pd.read_csv(damped_ablation.OUT, comment="#")
    assert list(dict.fromkeys(runs["change"])) == [label for label, _ in damped_ablation.ROWS]
    assert sorted(set(runs["seed"])) == [0, 1, 2]
    assert runs.groupby("change").size().eq(3).all()
    assert (runs["closed_loop_error"] > 0).all() and (runs["seconds"] > 0).all()
