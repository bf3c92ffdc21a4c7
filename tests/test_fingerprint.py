"""The study and ablation tables go stale when a recipe would train differently, never for its wording."""

from __future__ import annotations

import inspect

import pytest

import course_utils as cu
from tools.bench.fingerprint import behaviour

RECIPE = inspect.getsource(cu.every_step_recipe)
TRAINS_THE_SAME = {
    "a docstring edit": RECIPE.replace("Adam at 1e-2", "Adam (learning rate 1e-2)"),
    "a comment": RECIPE.replace("    return model,", "    # the model, its history and its time\n    return model,"),
    "formatting": RECIPE.replace("epochs=epochs, learning_rate", "epochs=epochs,\n        learning_rate"),
    "a guard clause": RECIPE.replace("    model = ", "    if units < 1:\n        raise ValueError('units')\n"
                                     "    model = "),
    "an argument check": RECIPE.replace("    model = ", "    units = require_int(units, 'units')\n    model = "),
    "a size check": RECIPE.replace("    model = ", "    require_fits_in_memory(units * 4, 'units')\n    model = "),
}
TRAINS_DIFFERENTLY = {
    "a changed learning rate": RECIPE.replace("learning_rate=1e-2", "learning_rate=3e-3"),
    "a changed batch size": RECIPE.replace("batch_size=32", "batch_size=64"),
    "a changed default": RECIPE.replace("epochs=15", "epochs=20"),
    "another layer count": RECIPE.replace("n_layers=1", "n_layers=2"),
}


def test_the_variants_are_real_edits():
    assert all(variant != RECIPE for variant in {**TRAINS_THE_SAME, **TRAINS_DIFFERENTLY}.values())


@pytest.mark.parametrize("edit", sorted(TRAINS_THE_SAME))
@pytest.mark.rule
def test_an_edit_that_trains_the_same_keeps_the_fingerprint(edit):
    assert behaviour(TRAINS_THE_SAME[edit]) == behaviour(RECIPE)


@pytest.mark.parametrize("edit", sorted(TRAINS_DIFFERENTLY))
def test_an_edit_that_trains_differently_changes_it(edit):
    assert behaviour(TRAINS_DIFFERENTLY[edit]) != behaviour(RECIPE)
