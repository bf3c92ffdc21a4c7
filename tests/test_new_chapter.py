"""Adding a chapter takes a notebook, a line in _toc.yml and a check module, and no other edit.

A scratch copy of the course gets a chapter 8 with one exercise; the structure
tests, the Colab sync, the student edition and the grader then pick it up on
their own, because each takes its chapters from the table of contents.
"""

from __future__ import annotations

import csv
import os
import shutil
import subprocess
import sys

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from tools.course_config import ROOT

NAME = "08_extra_chapter"
CHECKS = '''"""Checks for the exercises of the chapter a test adds."""

from . import _core

DOUBLE = "Exercise 8.1"


def check_double(double: "Callable") -> None:
    """The learner's function must double any number."""
    for x in (1.5, -2.0, float(_core.fresh_rng().normal())):
        got = _core.real_number(DOUBLE, _core.attempt(DOUBLE, double, x))
        if got != 2 * x:
            raise _core.ExerciseFailed(DOUBLE, f"for x={x} you return {got}; the task asks for twice x.")
    _core.passed(DOUBLE, "twice the input, for every input tried.")
'''


def chapter_8() -> nbformat.NotebookNode:
    def cell(source, role=None, exercise=None, tags=()):
        made = new_code_cell(source)
        if role:
            made.metadata["course"] = {"role": role, **({"exercise": exercise} if exercise else {})}
        if tags:
            made.metadata["tags"] = list(tags)
        return made

    return new_notebook(cells=[
        new_markdown_cell("# 8. An extra chapter\n\nAdded by a test: a new chapter needs no edit outside itself."),
        cell("import course_utils as cu\nimport numpy as np\n\nSEED = cu.setup()"),
        new_markdown_cell("## Exercises"),
        cell("import numpy as np", role="setup"),
        new_markdown_cell("### Exercise 8.1: double it\n\n*Write `double(x)` that returns twice `x`.*"),
        cell("def double(x):\n    ### BEGIN SOLUTION\n    return 2 * x\n    ### END SOLUTION",
             role="solution", exercise="8.1", tags=["hide-input"]),
        cell("from course_utils.exercises import ch08\n\nch08.check_double(double)",
             role="check", exercise="8.1", tags=["exercise-check"]),
    ], metadata={"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}})


def run(root, *args, timeout=600):
    """Run a tool in the copy; PYTHONPATH makes the copy's course_utils (with ch08) win over the editable install."""
    env = {**os.environ, "PYTHONPATH": str(root)}
    done = subprocess.run([sys.executable, *args], cwd=root, env=env, capture_output=True, text=True, timeout=timeout)
    assert done.returncode == 0, f"{' '.join(args)}:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    return done.stdout


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    """A copy of the working tree with chapter 8 added: a notebook, a line in _toc.yml, a check module."""
    root = tmp_path_factory.mktemp("course")
    listed = subprocess.run(["git", "ls-files", "-co", "--exclude-standard", "-z"], cwd=ROOT,
                            capture_output=True, text=True, check=True).stdout.split("\0")
    for name in filter(None, listed):
        if (ROOT / name).is_file():
            (root / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, root / name)
    nbformat.write(chapter_8(), root / "book" / f"{NAME}.ipynb")
    (root / "course_utils" / "exercises" / "ch08.py").write_text(CHECKS)
    toc = (root / "_toc.yml").read_text()
    last = "      - file: book/07_conv1d\n"
    assert last in toc
    (root / "_toc.yml").write_text(toc.replace(last, last + f"      - file: book/{NAME}\n"))
    run(root, "-m", "tools.colab", "sync")
    run(root, "-m", "tools.execute", f"book/{NAME}.ipynb")
    return root


def test_colab_sync_gave_it_a_badge_a_bootstrap_and_nbgrader_metadata(course):
    assert "7 notebook(s)" not in run(course, "-m", "tools.colab", "check")
    nb = nbformat.read(course / "book" / f"{NAME}.ipynb", as_version=4)
    assert "colab-bootstrap" in nb.cells[1].metadata.get("tags", [])
    assert {c.metadata.get("nbgrader", {}).get("grade_id") for c in nb.cells} >= {"ex8_1_solution", "ex8_1_check"}


def test_structure_and_check_tests_cover_it(course):
    tests = ["tests/test_structure.py", "tests/test_exercise_checks.py"]
    collected = run(course, "-m", "pytest", *tests, "--collect-only", "-q", "-p", "no:cacheprovider")
    assert NAME in collected and "8.1" in collected
    result = run(course, "-m", "pytest", *tests, "-q", "-p", "no:cacheprovider", "-p", "no:warnings",
                 "-k", f"{NAME} or 8.1 or ch08 or toc or stray or there_are")
    assert " passed" in result and "failed" not in result


def test_student_edition_and_grading_pick_it_up(course, tmp_path):
    run(course, "-m", "tools.student", "--out", str(tmp_path / "student"))
    edition = nbformat.read(tmp_path / "student" / "book" / f"{NAME}.ipynb", as_version=4)
    solution = next(c for c in edition.cells if c.metadata.get("course", {}).get("role") == "solution")
    assert "raise NotImplementedError()" in solution.source and "2 * x" not in solution.source
    subs = tmp_path / "subs"
    subs.mkdir()
    nbformat.write(edition, subs / f"bob_{NAME}.ipynb")
    solution.source = "def double(x):\n    return x + x\n"
    nbformat.write(edition, subs / f"alice_{NAME}.ipynb")
    run(course, "-m", "tools.grade", str(subs), "--out", str(tmp_path / "grades.csv"))
    with (tmp_path / "grades.csv").open(newline="") as handle:
        rows = {r["student_file"]: r for r in csv.DictReader(handle)}
    assert rows[f"alice_{NAME}.ipynb"]["chapter"] == "08" and rows[f"alice_{NAME}.ipynb"]["passed"] == "True"
    assert rows[f"bob_{NAME}.ipynb"]["message"] == "not attempted"
