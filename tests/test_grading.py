"""make grade: rows for every exercise whatever a submission does, and nothing a submission does earns credit.

Submissions are built from the real student edition of chapter 1, with solution
cells filled in the way students fill them: right, wrong, broken, or hostile.
"""

from __future__ import annotations

import csv

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook

from tools import grade, student
from tools.course_config import ROOT, chapter_notebooks
from tools.exercise_cells import role
from tools.grading.session import namespaces_available

CHAPTER = "01_rnn_fundamentals.ipynb"
CANARY = ROOT / "grader-canary.txt"
INSTRUCTOR = nbformat.read(ROOT / "book" / CHAPTER, as_version=4)
EXERCISES = [ident for cell in INSTRUCTOR.cells for kind, ident in [role(cell)] if kind == "solution"]
RIGHT_1_1 = next(c.source for c in INSTRUCTOR.cells if role(c) == ("solution", "1.1"))
WRONG_1_1 = "def simple_rnn_param_count(features, units):\n    return 0\n"

# Each tries to earn credit for 1.1 with a wrong answer; none may succeed.
TAMPERING = {
    "patch_check": WRONG_1_1 + (
        "import course_utils.exercises.ch01 as m\n"
        "m.check_param_count = lambda f: print('✓ Exercise 1.1 passed: fake')\n"),
    "replace_reload": WRONG_1_1 + (
        "import importlib, sys\n"
        "importlib.reload = lambda module: module\n"
        "sys.modules['importlib'] = None\n"
        "import course_utils.exercises.ch01 as m\n"
        "m.check_param_count = lambda f: None\n"),
    "redefine_failure": WRONG_1_1 + (
        "import builtins\n"
        "class ExerciseFailed(Exception):\n    pass\n"
        "builtins.AssertionError = type('Quiet', (Exception,), {})\n"
        "import course_utils.exercises._core as core\n"
        "core.ExerciseFailed = ExerciseFailed\n"),
    "permissive_eq": (
        "class Anything(int):\n"
        "    def __eq__(self, other):\n        return True\n"
        "    __hash__ = int.__hash__\n"
        "def simple_rnn_param_count(features, units):\n    return Anything(0)\n"),
    "permissive_eq_object": (
        "class Anything:\n"
        "    def __eq__(self, other):\n        return True\n"
        "def simple_rnn_param_count(features, units):\n    return Anything()\n"),
    "print_pass": WRONG_1_1 + "print('✓ Exercise 1.1 passed: units * (features + units + 1)')\n",
    "keras_as_answer_key": (
        "def simple_rnn_param_count(features, units):\n"
        "    import keras\n"
        "    layer = keras.layers.SimpleRNN(units)\n"
        "    layer.build((None, None, features))\n"
        "    return layer.count_params()\n"),
    "read_instructor_notebook": (
        f"import json\nsource = json.load(open({str(ROOT / 'book' / CHAPTER)!r}))\n"
        "exec(next(''.join(c['source']) for c in source['cells'] if c.get('metadata', {}).get('course') == "
        "{'exercise': '1.1', 'role': 'solution'}))\n"),
    "subprocess_keras": (
        "import subprocess, sys\n"
        "def simple_rnn_param_count(features, units):\n"
        "    code = f'import keras; l = keras.layers.SimpleRNN({units}); l.build((None, None, {features})); print(l.count_params())'\n"
        "    return int(subprocess.check_output([sys.executable, '-c', code]))\n"),
    "kill_grader": WRONG_1_1 + "import os, signal\nos.kill(os.getppid(), signal.SIGKILL)\n",
    "exit_process": "import os\nos._exit(0)\n",
}


def submission(**solutions: str) -> nbformat.NotebookNode:
    """The student edition of chapter 1 with the given solution cells filled in (exercise id '1.1' as ex1_1)."""
    nb = student.student_notebook(INSTRUCTOR)
    for cell in nb.cells:
        kind, ident = role(cell)
        key = f"ex{str(ident).replace('.', '_')}"
        if kind == "solution" and key in solutions:
            cell.source = solutions[key]
    return nb


def read_rows(out):
    with out.open(newline="") as handle:
        return {(r["student_file"], r["exercise"]): r for r in csv.DictReader(handle)}


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    subs = tmp_path_factory.mktemp("submissions")
    (subs / "alice").mkdir()
    nbformat.write(submission(ex1_1=RIGHT_1_1), subs / "alice" / CHAPTER)
    (subs / "bob").mkdir()
    nbformat.write(submission(), subs / "bob" / CHAPTER)
    for name, source in TAMPERING.items():
        nbformat.write(submission(ex1_1=source), subs / f"{name}_{CHAPTER}")
    # Network and writes into the course: the answer is right only if both are refused.
    sneaky = (
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
    nbformat.write(submission(ex1_1=sneaky), subs / f"eve_{CHAPTER}")
    deleted = submission(ex1_1=RIGHT_1_1)
    deleted.cells = [c for c in deleted.cells if role(c) != ("solution", "1.2")]
    nbformat.write(deleted, subs / f"dan_{CHAPTER}")
    (subs / f"trent_{CHAPTER}").write_text("{ this is not json")
    nbformat.write(new_notebook(cells=[new_code_cell("print('hi')")]), subs / "notes.ipynb")
    out = tmp_path_factory.mktemp("out") / "grades.csv"
    rows = grade.grade(subs, out, timeout=60)
    yield read_rows(out), out, subs, rows
    CANARY.unlink(missing_ok=True)


def test_csv_has_the_documented_columns(graded):
    _, out, _, _ = graded
    with out.open(newline="") as handle:
        assert next(csv.reader(handle)) == ["student_file", "chapter", "exercise", "passed", "message"]
    assert (out.parent / "grades_summary.md").read_text().startswith("| chapter | exercise | passed |")


def test_solved_exercise_passes_and_others_say_not_attempted(graded):
    rows = graded[0]
    assert rows[(f"alice/{CHAPTER}", "1.1")]["passed"] == "True", rows[(f"alice/{CHAPTER}", "1.1")]
    for ex in EXERCISES[1:]:
        assert rows[(f"alice/{CHAPTER}", ex)]["passed"] == "False"
        assert rows[(f"alice/{CHAPTER}", ex)]["message"] == "not attempted"
    assert all(rows[(f"bob/{CHAPTER}", ex)]["message"] == "not attempted" for ex in EXERCISES)


@pytest.mark.parametrize("attempt", sorted(TAMPERING))
def test_tampering_earns_no_credit(graded, attempt):
    rows = graded[0]
    row = rows[(f"{attempt}_{CHAPTER}", "1.1")]
    assert row["passed"] == "False", row
    # The other exercises are graded as usual: the stubs are reported, not credited.
    assert all(rows[(f"{attempt}_{CHAPTER}", ex)]["passed"] == "False" for ex in EXERCISES[1:])


def test_tampering_gets_the_real_checks_verdict(graded):
    rows = graded[0]
    for attempt in ("patch_check", "replace_reload", "redefine_failure", "print_pass", "kill_grader"):
        assert "you return 0" in rows[(f"{attempt}_{CHAPTER}", "1.1")]["message"], attempt
    assert "whole number" in rows[(f"permissive_eq_object_{CHAPTER}", "1.1")]["message"]
    assert "whole number" in rows[(f"permissive_eq_{CHAPTER}", "1.1")]["message"]
    assert "not available while grading" in rows[(f"keras_as_answer_key_{CHAPTER}", "1.1")]["message"]
    assert "not available while grading" in rows[(f"read_instructor_notebook_{CHAPTER}", "1.1")]["message"]
    assert "subprocess.Popen" in rows[(f"subprocess_keras_{CHAPTER}", "1.1")]["message"]
    assert "stopped the grading process" in rows[(f"exit_process_{CHAPTER}", "1.1")]["message"]


def test_network_is_refused_and_deleted_solutions_are_named(graded):
    rows = graded[0]
    assert rows[(f"eve_{CHAPTER}", "1.1")]["passed"] == "True", rows[(f"eve_{CHAPTER}", "1.1")]
    assert "no solution cell" in rows[(f"dan_{CHAPTER}", "1.2")]["message"]
    assert rows[(f"dan_{CHAPTER}", "1.1")]["passed"] == "True"


def test_course_files_are_read_only_while_grading(graded):
    if not namespaces_available():
        pytest.skip("needs root and unshare (Linux) to mount the course read-only")
    assert not CANARY.exists()


def test_malformed_and_unknown_files_still_get_rows(graded):
    rows = graded[0]
    for ex in EXERCISES:
        assert "malformed notebook" in rows[(f"trent_{CHAPTER}", ex)]["message"]
    assert "names no chapter" in rows[("notes.ipynb", "*")]["message"]


def test_parallel_grading_gives_the_same_rows(graded, tmp_path):
    _, _, subs, rows = graded
    parallel = grade.grade(subs, tmp_path / "grades.csv", timeout=60, jobs=2)
    assert parallel == rows


def test_one_file_is_one_job(graded, tmp_path):
    _, _, subs, rows = graded
    alone = grade.grade(subs / "alice" / CHAPTER, tmp_path / "one.csv", timeout=60)
    assert [(r.exercise, r.passed, r.message) for r in alone] == [
        (r.exercise, r.passed, r.message) for r in rows if r.student_file == f"alice/{CHAPTER}"]


@pytest.mark.parametrize("where", ["definition", "call"])
def test_an_endless_loop_hits_the_time_limit(tmp_path, where):
    subs = tmp_path / "subs"
    subs.mkdir()
    loop = ("while True:\n    pass\n" if where == "definition" else
            "def simple_rnn_param_count(features, units):\n    while True:\n        pass\n")
    nbformat.write(submission(ex1_1=loop, ex1_2="raise NotImplementedError()"), subs / CHAPTER)
    rows = grade.grade(subs, tmp_path / "grades.csv", timeout=8)
    assert [r.exercise for r in rows] == EXERCISES
    assert all(not r.passed and "time limit" in r.message for r in rows), [r.message for r in rows]


def test_bad_jobs_and_missing_submissions_are_refused(tmp_path):
    with pytest.raises(SystemExit, match="JOBS must be a whole number"):
        grade.grade(tmp_path, tmp_path / "g.csv", jobs=0)
    with pytest.raises(SystemExit, match="SUBMISSIONS must be a folder of notebooks or one notebook"):
        grade.grade(tmp_path / "nowhere", tmp_path / "g.csv")


def test_every_chapters_exercise_section_runs_on_its_own_and_its_solutions_pass(tmp_path):
    """The grader runs the setup cell and the solutions only: the instructor's answers must pass that way."""
    subs = tmp_path / "subs"
    subs.mkdir()
    for path in chapter_notebooks():
        (subs / path.name).write_bytes(path.read_bytes())
    rows = grade.grade(subs, tmp_path / "grades.csv", timeout=120, jobs=2)
    assert len(rows) == sum(len(c.exercises) for c in grade.instructor_chapters().values())
    assert all(r.passed for r in rows), [(r.student_file, r.exercise, r.message) for r in rows if not r.passed]


def test_every_chapter_has_one_setup_cell_opening_its_exercises():
    for path in chapter_notebooks():
        nb = nbformat.read(path, as_version=4)
        kinds = [role(c)[0] for c in nb.cells]
        assert kinds.count("setup") == 1, path.name
        first_exercise = min(i for i, k in enumerate(kinds) if k in ("solution", "check"))
        assert kinds.index("setup") < first_exercise, f"{path.name}: the setup cell must come before the exercises"


def test_the_grading_benchmark_grades_each_kind_of_submission_as_it_should():
    from tools.grading import benchmark

    (jobs, seconds), = benchmark.run("01", copies=4, jobs=[1])  # raises if any kind is graded wrongly
    assert jobs == 1 and seconds > 0


def test_the_course_package_is_not_available_to_solutions(tmp_path):
    """course_utils holds the checks and helpers that would answer exercises (windows, closed loops...)."""
    subs = tmp_path / "subs"
    subs.mkdir()
    answer = ("def simple_rnn_param_count(features, units):\n"
              "    import course_utils.windows\n"
              "    return units * (features + units + 1)\n")
    nbformat.write(submission(ex1_1=answer), subs / CHAPTER)
    row = grade.grade(subs, tmp_path / "grades.csv", timeout=60)[0]
    assert not row.passed and "course_utils.windows is not available while grading" in row.message, row
