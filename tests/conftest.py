"""Shared fixtures: paths, and a headless matplotlib backend for every test."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import matplotlib
import pytest

matplotlib.use("Agg")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # so tests can import tools/


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    import matplotlib.pyplot as plt

    plt.close("all")


# ---------------------------------------------------------------- shared by the exercise-check tests


class AlwaysEqual:
    """A cheat: an object that says it equals anything."""

    def __eq__(self, other):
        return True

    def __ne__(self, other):
        return False

    __hash__ = object.__hash__


def refusal(check, answer) -> str:
    """The hint a check gives for ``answer``, which it must refuse (not call 'not attempted')."""
    from course_utils.exercises import ExerciseFailed, ExerciseNotAttempted

    with pytest.raises(ExerciseFailed) as failed:
        check(answer)
    assert not isinstance(failed.value, ExerciseNotAttempted)
    return failed.value.hint


def refused(check, wrong, hint: str) -> str:
    """The whole message of a check refusing ``wrong``, which must contain ``hint``."""
    import re

    from course_utils.exercises import ExerciseFailed, ExerciseNotAttempted

    with pytest.raises(ExerciseFailed, match=re.escape(hint)) as failure:
        check(wrong)
    assert not isinstance(failure.value, ExerciseNotAttempted)
    return str(failure.value)


def recorded(answer):
    """``answer``, remembering the arguments of every call and its last result (``wrapper.returned``)."""
    calls = []

    def wrapper(*args):
        calls.append(args)
        wrapper.returned = answer(*args)
        return wrapper.returned

    wrapper.returned = None
    return wrapper, calls


def number_in(value, text: str) -> bool:
    """Whether ``value`` appears in ``text`` as a number of its own (not inside a longer one)."""
    import re

    return re.search(rf"(?<![\d.]){re.escape(str(value))}(?![\d.])", text) is not None


_NOTEBOOK_FUNCTIONS: dict = {}


def notebook_function(chapter: str, name: str):
    """The learner function ``name`` as chapter ``chapter``'s notebook defines it: setup cell, then its solution.

    Tests build wrong answers from it, so the right answer lives in one place: the notebook.
    """
    import nbformat

    from tools.course_config import chapter_notebooks
    from tools.exercise_cells import exercises, setup_source, solution_sources

    if (chapter, name) not in _NOTEBOOK_FUNCTIONS:
        path = next(p for p in chapter_notebooks() if p.name.startswith(f"{chapter}_"))
        nb = nbformat.read(path, as_version=4)
        namespace: dict = {}
        exec(compile(setup_source(nb), f"{path.name}:setup", "exec"), namespace)
        ident = next(e.id for e in exercises(nb) if e.function == name)
        exec(compile(solution_sources(nb)[ident], f"{path.name}:{ident}", "exec"), namespace)
        _NOTEBOOK_FUNCTIONS[(chapter, name)] = namespace[name]
    return _NOTEBOOK_FUNCTIONS[(chapter, name)]
