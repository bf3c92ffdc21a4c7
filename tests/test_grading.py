"""make grade: rows for every exercise whatever a submission does, and nothing a submission does earns credit.

Submissions are built from the real student edition of chapter 1, with solution
cells filled in the way students fill them: right, wrong, broken, or hostile.
"""

from __future__ import annotations

import csv
import subprocess
import sys
import time

import nbformat
import pytest
from grading_support import (CHAPTER, EXERCISES, RIGHT_1_1, WRONG_1_1, all_right, needs_sandbox, read_rows,
                             submission)
from nbformat.v4 import new_code_cell, new_notebook

from tools import grade
from tools.course_config import chapter_notebooks
from tools.exercise_cells import role
from tools.grading import sandbox

needs_sandbox()


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    subs = tmp_path_factory.mktemp("submissions")
    (subs / "alice").mkdir()
    nbformat.write(submission(ex1_1=RIGHT_1_1), subs / "alice" / CHAPTER)
    (subs / "bob").mkdir()
    nbformat.write(submission(), subs / "bob" / CHAPTER)
    nbformat.write(submission(ex1_1=WRONG_1_1), subs / f"eve_{CHAPTER}")
    deleted = submission(ex1_1=RIGHT_1_1)
    deleted.cells = [c for c in deleted.cells if role(c) != ("solution", "1.2")]
    nbformat.write(deleted, subs / f"dan_{CHAPTER}")
    (subs / f"trent_{CHAPTER}").write_text("{ this is not json")
    nbformat.write(new_notebook(cells=[new_code_cell("print('hi')")]), subs / "notes.ipynb")
    out = tmp_path_factory.mktemp("out") / "grades.csv"
    rows = grade.grade(subs, out, timeout=60)
    return read_rows(out), out, subs, rows


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


def test_a_wrong_answer_gets_the_checks_hint_and_deleted_solutions_are_named(graded):
    rows = graded[0]
    assert "you return 0" in rows[(f"eve_{CHAPTER}", "1.1")]["message"]
    assert "no solution cell" in rows[(f"dan_{CHAPTER}", "1.2")]["message"]
    assert rows[(f"dan_{CHAPTER}", "1.1")]["passed"] == "True"


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
    with pytest.raises(SystemExit, match="TIMEOUT must be a number of seconds"):
        grade.grade(tmp_path, tmp_path / "g.csv", timeout=-1)
    with pytest.raises(SystemExit, match="SUBMISSIONS must be a folder of notebooks or one notebook"):
        grade.grade(tmp_path / "nowhere", tmp_path / "g.csv")


@pytest.mark.rule
def test_every_chapters_exercise_section_runs_on_its_own_and_its_solutions_pass(tmp_path):
    """The grader runs the setup cell and the solutions only: the instructor's answers must pass that way."""
    subs = tmp_path / "subs"
    subs.mkdir()
    for path in chapter_notebooks():
        (subs / path.name).write_bytes(path.read_bytes())
    rows = grade.grade(subs, tmp_path / "grades.csv", timeout=120, jobs=2)
    assert len(rows) == sum(len(c.exercises) for c in grade.instructor_chapters().values())
    assert all(r.passed for r in rows), [(r.student_file, r.exercise, r.message) for r in rows if not r.passed]


@pytest.mark.rule
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


def test_without_bubblewrap_grading_refuses_in_one_sentence(tmp_path, monkeypatch):
    monkeypatch.setattr(sandbox.shutil, "which", lambda name: None)
    sandbox._tools.cache_clear()
    sandbox.check_available.cache_clear()
    try:
        with pytest.raises(SystemExit, match="install Debian's `bubblewrap` package") as refused:
            grade.grade(tmp_path, tmp_path / "g.csv")
    finally:
        sandbox._tools.cache_clear()
        sandbox.check_available.cache_clear()
    assert str(refused.value).count(". ") == 0 and not (tmp_path / "g.csv").exists()


TRAIN = """
import time
start = time.perf_counter()
import keras, numpy as np
model = keras.Sequential([keras.Input((20, 1)), keras.layers.GRU(16), keras.layers.Dense(1)])
model.compile("adam", "mse")
x = np.random.default_rng(0).normal(size=(512, 20, 1))
model.fit(x, x[:, -1], epochs=3, batch_size=64, verbose=0)
print(f"trained in {time.perf_counter() - start:.1f} s")
"""


def test_a_chapter_may_let_solutions_train_keras_models_in_the_sandbox():
    """Later exercises build and train models: with Keras allowed, it imports and trains, under the same limits."""
    command = sandbox.wrap([sys.executable, "-c", TRAIN], keep_fds=(), slot=0, limits=sandbox.Limits(),
                           hidden=("jax", "torch"))
    start = time.perf_counter()
    try:
        result = subprocess.run(command.argv, pass_fds=command.pass_fds, capture_output=True, text=True,
                                env=sandbox.environment(), timeout=60)
    finally:
        command.close()
    assert result.returncode == 0 and "trained in" in result.stdout, result.stderr[-2000:]
    assert time.perf_counter() - start < 20


def test_keras_is_hidden_by_default_and_a_chapter_can_allow_it():
    chapters = grade.instructor_chapters()
    assert all(set(sandbox.ANSWER_KEYS) - {"keras", "tensorflow"} <= set(c.hidden) for c in chapters.values())
    assert grade._hidden_for(set()) == sandbox.ANSWER_KEYS
