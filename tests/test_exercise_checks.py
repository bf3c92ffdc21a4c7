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

from conftest import notebook_function
from course_utils.exercises import ExerciseFailed, ExerciseNotAttempted
from tools.course_config import chapter_notebooks
from tools.exercise_cells import CHECKS_PACKAGE, exercises, solution_lines, solution_sources

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
    return notebook_function(path.name[:2], exercise.function)


@pytest.mark.parametrize("path, exercise", CASES, ids=IDS)
@pytest.mark.rule
def test_the_notebooks_solution_passes_on_every_draw(path, exercise, capsys):
    function = notebook_solution(path, exercise)
    for _ in range(3):
        check_of(exercise)(function)
        assert f"✓ Exercise {exercise.id} passed" in capsys.readouterr().out


@pytest.mark.parametrize("path, exercise", CASES, ids=IDS)
@pytest.mark.rule
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
@pytest.mark.rule
def test_check_modules_show_no_answer_key(module):
    checks = importlib.import_module(f"{CHECKS_PACKAGE}.{module}")
    for name, value in vars(checks).items():
        if name.startswith("_"):
            continue
        assert name.startswith("check_") or (isinstance(value, str) and value.startswith("Exercise ")), (
            f"{module}.{name} is public: make it private (a leading underscore) or a check"
        )


def plain(value) -> bool:
    """Plain data, which the grader can send to a learner's process: no objects with behaviour of their own."""
    import types

    import numpy as np
    from sklearn.preprocessing import MinMaxScaler

    if type(value) is np.ndarray:
        return value.dtype.kind in "biuf"
    if type(value) in (int, float, bool, str, type(None)):
        return True
    if type(value) in (tuple, list):
        return all(plain(v) for v in value)
    if type(value) is dict:
        return all(type(k) is str and plain(v) for k, v in value.items())
    return type(value) is MinMaxScaler or type(value) is types.FunctionType  # functions: calls come back


@pytest.mark.parametrize("path, exercise", CASES, ids=IDS)
@pytest.mark.rule
def test_checks_pass_plain_data_only(path, exercise):
    calls = []
    function = notebook_solution(path, exercise)

    def spy(*args, **kwargs):
        calls.append((args, kwargs))
        return function(*args, **kwargs)

    check_of(exercise)(spy)
    assert calls and all(plain(list(args)) and plain(kwargs) for args, kwargs in calls)


def _code_lines(source: str) -> list[str]:
    """The solution's lines of code (comments and markers dropped), and each assignment's right-hand side."""
    import re

    fragments = []
    for line in solution_lines(source):
        code = line.split("#")[0].strip().removeprefix("return ").strip()
        fragments += [code, code.split("=", 1)[-1].strip() if re.search(r"[^=!<>]=[^=]", code) else code]
    return [" ".join(f.split()) for f in fragments if len(f) >= 8]


@pytest.mark.parametrize("path, exercise", CASES, ids=IDS)
@pytest.mark.rule
def test_no_message_holds_the_solutions_code(path, exercise):
    import ast
    import inspect

    checks = importlib.import_module(f"{CHECKS_PACKAGE}.{exercise.module}")
    texts = [" ".join(node.value.split()) for node in ast.walk(ast.parse(inspect.getsource(checks)))
             if isinstance(node, ast.Constant) and isinstance(node.value, str)]
    solution = solution_sources(nbformat.read(path, as_version=4))[exercise.id]
    for fragment in _code_lines(solution):
        assert not any(fragment in text for text in texts), f"{fragment!r} appears in a string of {exercise.module}"


def course_helpers():
    """Every public function of course_utils, the chapters' saved recipes included: what a learner can call."""
    import inspect

    import course_utils as cu

    names = sorted(set(cu.__all__) | set(cu.recipes.SAVED_FROM))
    return [(name, getattr(cu, name)) for name in names if inspect.isfunction(getattr(cu, name))]


# exercise -> the helper that answers it, where an earlier chapter needs that helper before the exercise's
# chapter teaches it. The exercise's text then forbids course_utils, and the grader blocks it (test_grading.py).
ANSWERED_BY_AN_EARLIER_HELPER = {
    "5.3": "repeat_last_value",       # the chapter's naive baseline, needed before its exercises
    "7.1": "conv1d_output_length",    # chapter 2 explains a classic error with it
}


@pytest.mark.parametrize("path, exercise", CASES, ids=IDS)
@pytest.mark.rule
def test_no_course_helper_answers_an_exercise(path, exercise, monkeypatch):
    """A helper that passes a check would be an answer key in the package: every one is refused."""
    import matplotlib.pyplot as plt

    monkeypatch.setattr(plt, "show", lambda *args, **kwargs: None)
    allowed = ANSWERED_BY_AN_EARLIER_HELPER.get(exercise.id)
    if allowed:
        text = " ".join(" ".join(cell.source.split()) for cell in nbformat.read(path, as_version=4).cells
                        if cell.cell_type == "markdown" and cell.source.startswith(f"### Exercise {exercise.id}"))
        assert "without calling Keras or `course_utils`" in text, f"exercise {exercise.id} must forbid course_utils"
    for name, helper in course_helpers():
        if name == allowed:
            continue
        with pytest.raises(ExerciseFailed):
            check_of(exercise)(helper)
        plt.close("all")
