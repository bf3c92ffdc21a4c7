"""What every exercise check owes the learner, for every exercise the table of contents reaches.

Exercises are found from the chapters' check cells (tools.exercise_cells), so a new
chapter's checks are held to the same rules with no edit here: the notebook's
own solution passes (run from the exercise section's setup cell, as the grader
runs it, several times for the fresh random draws); the stub is named "not
attempted"; something that is not a function is refused; and a check module
shows no answer key among its public names.
"""

from __future__ import annotations

import importlib

import nbformat
import pytest

from course_utils.exercises import ExerciseFailed, ExerciseNotAttempted
from tools.course_config import chapter_notebooks
from tools.exercise_cells import CHECKS_PACKAGE, exercises, setup_source, solution_sources

CASES = [
    (path, exercise)
    for path in chapter_notebooks()
    for exercise in exercises(nbformat.read(path, as_version=4))
]
IDS = [exercise.id for _, exercise in CASES]


def stub(*args, **kwargs):
    """The student edition's solution: `raise NotImplementedError()`."""
    raise NotImplementedError()


def check_of(exercise):
    return getattr(importlib.import_module(f"{CHECKS_PACKAGE}.{exercise.module}"), exercise.check)


def notebook_solution(path, exercise):
    """The learner function as the notebook defines it: setup cell, then the solution cell, nothing else."""
    nb = nbformat.read(path, as_version=4)
    namespace: dict = {}
    exec(compile(setup_source(nb), f"{path.name}:setup", "exec"), namespace)
    exec(compile(solution_sources(nb)[exercise.id], f"{path.name}:{exercise.id}", "exec"), namespace)
    return namespace[exercise.function]


@pytest.mark.parametrize("path, exercise", CASES, ids=IDS)
def test_the_notebooks_solution_passes_on_every_draw(path, exercise, capsys):
    function = notebook_solution(path, exercise)
    for _ in range(3):
        check_of(exercise)(function)
        assert f"✓ Exercise {exercise.id} passed" in capsys.readouterr().out


@pytest.mark.parametrize("path, exercise", CASES, ids=IDS)
def test_the_stub_is_named_not_attempted(path, exercise):
    with pytest.raises(ExerciseNotAttempted, match="not attempted"):
        check_of(exercise)(stub)


@pytest.mark.parametrize("path, exercise", CASES, ids=IDS)
def test_a_failure_shows_in_jupyter_as_one_line(path, exercise):
    with pytest.raises(ExerciseFailed) as failed:
        check_of(exercise)(stub)
    lines = failed.value._render_traceback_()
    assert len(lines) == 1 and "Traceback" not in lines[0] and f"Exercise {exercise.id}" in lines[0]


@pytest.mark.parametrize("path, exercise", CASES, ids=IDS)
def test_something_that_is_not_a_function_is_refused(path, exercise):
    with pytest.raises(ExerciseFailed, match="expected the function you wrote"):
        check_of(exercise)(42)


@pytest.mark.parametrize("module", sorted({exercise.module for _, exercise in CASES}))
def test_check_modules_show_no_answer_key(module):
    checks = importlib.import_module(f"{CHECKS_PACKAGE}.{module}")
    for name, value in vars(checks).items():
        if name.startswith("_"):
            continue
        assert name.startswith("check_") or (isinstance(value, str) and value.startswith("Exercise ")), (
            f"{module}.{name} is public: make it private (a leading underscore) or a check"
        )
