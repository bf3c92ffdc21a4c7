"""make grade: rows for every exercise whatever a submission does, and no way to cheat the checks."""

from __future__ import annotations

import csv
import shutil

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook

from tools import grade, student
from tools.course_config import ROOT
from tools.exercises import role

CHAPTER = "01_rnn_fundamentals.ipynb"
CANARY = ROOT / "grader-canary.txt"


def solution_source(exercise: str) -> str:
    nb = nbformat.read(ROOT / "book" / CHAPTER, as_version=4)
    return next(c.source for c in nb.cells if role(c) == ("solution", exercise))


def small_notebook(*sources: str) -> nbformat.NotebookNode:
    return new_notebook(cells=[new_code_cell(s) for s in sources])


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    """One batch: a real student edition with 1.1 solved, plus hostile and broken submissions."""
    subs = tmp_path_factory.mktemp("submissions")
    edition = student.write_student_edition(tmp_path_factory.mktemp("student"))[0]

    nb = nbformat.read(edition, as_version=4)
    for cell in nb.cells:
        if role(cell) == ("solution", "1.1"):
            cell.source = solution_source("1.1")
    (subs / "alice").mkdir()
    nbformat.write(nb, subs / "alice" / CHAPTER)

    (subs / "bob").mkdir()
    shutil.copy(edition, subs / "bob" / CHAPTER)

    # Tampering: a wrong answer, a patched check module and an edited check cell.
    cheat = small_notebook(
        "def simple_rnn_param_count(features, units):\n    return 0",
        "import course_utils.exercises.ch01 as m\nm.check_param_count = lambda f: print('✓ Exercise 1.1 passed: fake')",
        "print('✓ Exercise 1.1 passed: fake')",
    )
    cheat.cells[2].metadata["course"] = {"role": "check", "exercise": "1.1"}
    nbformat.write(cheat, subs / f"mallory_{CHAPTER}")

    # Deleted checks, plus attempts to reach the network and write into the course:
    # the answer is right only if both are refused.
    sneaky = small_notebook(
        "import socket\n"
        f"CANARY = {str(CANARY)!r}\n"
        "def simple_rnn_param_count(features, units):\n"
        "    try:\n"
        "        socket.create_connection(('151.101.0.223', 443), timeout=3).close()\n"
        "        return -1\n"
        "    except OSError:\n"
        "        pass\n"
        "    try:\n"
        "        open(CANARY, 'w').write('x')\n"
        "    except OSError:\n"
        "        pass\n"
        "    return units * (features + units + 1)\n"
    )
    nbformat.write(sneaky, subs / f"eve_{CHAPTER}")

    (subs / f"trent_{CHAPTER}").write_text("{ this is not json")
    nbformat.write(small_notebook("print('hi')"), subs / "notes.ipynb")

    out = tmp_path_factory.mktemp("out") / "grades.csv"
    grade.grade(subs, out, timeout=240)
    with out.open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    yield {(r["student_file"], r["exercise"]): r for r in rows}, out
    CANARY.unlink(missing_ok=True)


def test_csv_has_the_documented_columns(graded):
    rows, out = graded
    with out.open(newline="") as handle:
        assert next(csv.reader(handle)) == ["student_file", "chapter", "exercise", "passed", "message"]
    assert (out.parent / "grades_summary.md").read_text().startswith("| chapter | exercise | passed |")


def test_solved_exercise_passes_and_others_say_not_attempted(graded):
    rows, _ = graded
    assert rows[(f"alice/{CHAPTER}", "1.1")]["passed"] == "True"
    for ex in ("1.2", "1.3"):
        assert rows[(f"alice/{CHAPTER}", ex)]["passed"] == "False"
        assert "not attempted" in rows[(f"alice/{CHAPTER}", ex)]["message"]
    assert all(rows[(f"bob/{CHAPTER}", ex)]["passed"] == "False" for ex in ("1.1", "1.2", "1.3"))


def test_patched_or_edited_checks_do_not_change_the_grade(graded):
    rows, _ = graded
    row = rows[(f"mallory_{CHAPTER}", "1.1")]
    assert row["passed"] == "False" and "The bias is missing" not in row["message"]
    assert "you return 0" in row["message"]


def test_deleted_checks_are_put_back_and_network_is_refused(graded):
    rows, _ = graded
    row = rows[(f"eve_{CHAPTER}", "1.1")]
    assert row["passed"] == "True", row["message"]
    assert "put back" in row["message"]
    assert "NameError" in rows[(f"eve_{CHAPTER}", "1.2")]["message"] or "not defined" in rows[(f"eve_{CHAPTER}", "1.2")]["message"]


def test_course_files_are_read_only_while_grading(graded):
    if not grade._namespaces_available():
        pytest.skip("needs root and unshare (Linux) to mount the course read-only")
    assert not CANARY.exists()


def test_malformed_and_unknown_files_still_get_rows(graded):
    rows, _ = graded
    for ex in ("1.1", "1.2", "1.3"):
        assert "malformed notebook" in rows[(f"trent_{CHAPTER}", ex)]["message"]
    assert "names no chapter" in rows[("notes.ipynb", "*")]["message"]


def test_an_endless_loop_hits_the_time_limit(tmp_path):
    subs = tmp_path / "subs"
    subs.mkdir()
    nbformat.write(small_notebook("while True:\n    pass"), subs / CHAPTER)
    rows = grade.grade(subs, tmp_path / "grades.csv", timeout=5)
    assert [r.exercise for r in rows] == ["1.1", "1.2", "1.3"]
    assert all(not r.passed and "time limit" in r.message for r in rows), [r.message for r in rows]
