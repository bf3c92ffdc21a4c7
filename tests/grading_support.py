"""Submissions built from the real student edition, for the grader's tests (test_grading*.py)."""

from __future__ import annotations

import csv
import os
import shutil

import nbformat
import pytest

from tools import student
from tools.course_config import ROOT
from tools.exercise_cells import role

CHAPTER = "01_rnn_fundamentals.ipynb"
INSTRUCTOR = nbformat.read(ROOT / "book" / CHAPTER, as_version=4)
EXERCISES = [ident for cell in INSTRUCTOR.cells for kind, ident in [role(cell)] if kind == "solution"]
RIGHT = {ident: cell.source for cell in INSTRUCTOR.cells for kind, ident in [role(cell)] if kind == "solution"}
RIGHT_1_1 = RIGHT["1.1"]
WRONG_1_1 = "def simple_rnn_param_count(features, units):\n    return 0\n"


def needs_sandbox() -> None:
    """Skip where bubblewrap is missing, except in CI, which installs it and must run these tests."""
    if shutil.which("bwrap") is None:
        if os.environ.get("CI"):
            pytest.fail("bubblewrap is missing: .ci/run installs Debian's bubblewrap package")
        pytest.skip("grading needs Debian's bubblewrap package (apt-get install bubblewrap)", allow_module_level=True)


def submission(**solutions: str) -> nbformat.NotebookNode:
    """The student edition of chapter 1 with the given solution cells filled in (exercise '1.1' as ex1_1)."""
    nb = student.student_notebook(INSTRUCTOR)
    for cell in nb.cells:
        kind, ident = role(cell)
        key = f"ex{str(ident).replace('.', '_')}"
        if kind == "solution" and key in solutions:
            cell.source = solutions[key]
    return nb


def all_right() -> nbformat.NotebookNode:
    return submission(**{f"ex{ident.replace('.', '_')}": source for ident, source in RIGHT.items()})


def read_rows(out) -> dict[tuple[str, str], dict[str, str]]:
    with out.open(newline="") as handle:
        return {(r["student_file"], r["exercise"]): r for r in csv.DictReader(handle)}
