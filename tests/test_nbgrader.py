"""Real nbgrader 0.9 accepts the chapters, and its grades agree with make grade, exercise by exercise.

nbgrader is installed in its own virtual environment (it is not a course requirement);
its kernel runs the course's Python. The commands are the ones the instructor's guide shows.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from tools import grade
from tools.course_config import ROOT, chapter_notebooks
from tools.exercise_cells import nbgrader_metadata, role, solution_lines

NBGRADER = "nbgrader>=0.9.6,<0.10"
GUIDE = (ROOT / "book" / "instructors.md").read_text(encoding="utf-8")
CHAPTERS = chapter_notebooks()
AUTOGRADED = ["01", "02"]  # fast chapters: nbgrader runs the whole notebook, training included
# nbgrader's default of 30 s per cell is too short for a chapter's training cells.
CONFIG = 'c = get_config()\nc.CourseDirectory.course_id = "rnn-course"\nc.ExecutePreprocessor.timeout = 300\n'

# Per chapter: a student who solves the first exercise, answers the second wrongly and leaves the
# third; and one whose first cell does not even parse, with the other two solved.
WRONG = {
    "01": "def linear_rnn_outputs(x, W_x, W_h, b, W_y, b_y):\n    return np.zeros((x.shape[0], x.shape[1], 1))\n",
    "02": "def make_windows(series, window, horizon):\n    X = np.stack([series[i:i + window] for i in range(len(series) - window)])\n"
          "    return X[:, :, None], series[window:, None]\n",
}


def assignment(path: Path) -> str:
    return f"ch{path.name[:2]}"


def _run(command: list[str], cwd: Path, env: dict) -> subprocess.CompletedProcess:
    result = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, f"{' '.join(command)} failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    return result


@pytest.fixture(scope="module")
def nbgrader_env(tmp_path_factory):
    """A virtual environment with nbgrader, whose 'python3' kernel is the course's Python."""
    venv = tmp_path_factory.mktemp("nbgrader") / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    pip = subprocess.run([str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet", NBGRADER],
                         capture_output=True, text=True)
    if pip.returncode != 0:
        pytest.fail(f"could not install {NBGRADER}:\n{pip.stdout[-2000:]}\n{pip.stderr[-2000:]}")
    subprocess.run([sys.executable, "-m", "ipykernel", "install", "--prefix", str(venv), "--name", "python3"],
                   check=True, capture_output=True)
    env = {**os.environ, "PATH": f"{venv / 'bin'}{os.pathsep}{os.environ['PATH']}", "MPLBACKEND": "Agg"}
    env.pop("PYTHONPATH", None)
    return venv, env


def fill(nb: nbformat.NotebookNode, answers: dict[str, str]) -> nbformat.NotebookNode:
    for cell in nb.cells:
        kind, ident = role(cell)
        if kind == "solution" and ident in answers:
            cell.source = answers[ident]
    return nb


def students(chapter: Path) -> dict[str, dict[str, str]]:
    """Answers per simulated student: exercise id -> solution cell source."""
    nb = nbformat.read(chapter, as_version=4)
    right = {ident: cell.source for cell in nb.cells for kind, ident in [role(cell)] if kind == "solution"}
    first, second, third, *_ = list(right)
    return {
        "alice": {first: right[first], second: WRONG[chapter.name[:2]]},
        "bob": {first: "def oops(:\n    pass\n", second: right[second], third: right[third]},
    }


@pytest.fixture(scope="module")
def course(nbgrader_env, tmp_path_factory):
    """An nbgrader course with every chapter released and two chapters autograded."""
    venv, env = nbgrader_env
    root = tmp_path_factory.mktemp("course")
    (root / "nbgrader_config.py").write_text(CONFIG)
    for path in CHAPTERS:
        (root / "source" / assignment(path)).mkdir(parents=True)
        shutil.copy(path, root / "source" / assignment(path) / path.name)
        _run(["nbgrader", "generate_assignment", assignment(path), "--force"], root, env)
    ours = tmp_path_factory.mktemp("submissions")
    for path in CHAPTERS:
        if path.name[:2] not in AUTOGRADED:
            continue
        for student, answers in students(path).items():
            released = nbformat.read(root / "release" / assignment(path) / path.name, as_version=4)
            target = root / "submitted" / student / assignment(path) / path.name
            target.parent.mkdir(parents=True)
            nbformat.write(fill(released, answers), target)
            shutil.copy(target, ours / f"{student}_{path.name}")
        _run(["nbgrader", "autograde", assignment(path), "--create", "--force"], root, env)
    _run(["nbgrader", "export"], root, env)
    script = (
        "import json\nfrom nbgrader.api import Gradebook\n"
        "rows = []\n"
        "with Gradebook('sqlite:///gradebook.db') as gb:\n"
        "    for a in gb.assignments:\n"
        "        for sub in gb.assignment_submissions(a.name):\n"
        "            for nb in sub.notebooks:\n"
        "                rows += [[sub.student.id, nb.name, g.name, g.score, g.max_score] for g in nb.grades]\n"
        "print(json.dumps(rows))\n"
    )
    cells = json.loads(_run([str(venv / "bin" / "python"), "-c", script], root, env).stdout)
    return root, ours, cells


def test_every_exercise_cell_carries_nbgrader_metadata():
    for path in CHAPTERS:
        nb = nbformat.read(path, as_version=4)
        ids = []
        for cell in nb.cells:
            meta = cell.metadata.get("nbgrader")
            assert meta == nbgrader_metadata(cell), f"{path.name}: run make colab"
            if meta:
                assert meta["schema_version"] == 3
                assert all(ch.isalnum() or ch in "_-" for ch in meta["grade_id"]), meta["grade_id"]
                ids.append(meta["grade_id"])
                kind = role(cell)[0]
                assert meta["locked"] == (kind != "solution") and meta["grade"] == (kind == "check")
                assert ("points" in meta) == (kind == "check")
        assert len(ids) == len(set(ids)), f"{path.name}: grade ids repeat"
        assert sum(1 for c in nb.cells if role(c)[0] == "check") == sum(1 for i in ids if i.endswith("_check"))


def test_generate_assignment_leaves_no_solution(course):
    root, _, _ = course
    for path in CHAPTERS:
        release = root / "release" / assignment(path) / path.name
        text = release.read_text(encoding="utf-8")
        assert "BEGIN SOLUTION" not in text and "END SOLUTION" not in text
        released = nbformat.read(release, as_version=4)
        source = "\n".join(c.source for c in released.cells)
        instructor = nbformat.read(path, as_version=4)
        # Lines the chapter itself shows outside the solutions (e.g. the BPTT loop) are not leaks.
        shown = "\n".join(c.source for c in instructor.cells if role(c)[0] != "solution")
        for cell in instructor.cells:
            if role(cell)[0] == "solution":
                leaked = [line for line in solution_lines(cell.source)
                          if len(line) > 12 and line in source and line not in shown]
                assert not leaked, f"{release.name} still holds {leaked}"


def test_nbgrader_and_make_grade_agree_exercise_by_exercise(course, tmp_path):
    root, ours, cells = course
    nbgrader_scores = {(student, name[:2], grade_id): score for student, name, grade_id, score, _ in cells
                       if grade_id.endswith("_check")}
    rows = grade.grade(ours, tmp_path / "grades.csv", timeout=60)
    exercises = sum(role(cell)[0] == "solution" for path in CHAPTERS if path.name[:2] in AUTOGRADED
                    for cell in nbformat.read(path, as_version=4).cells)
    assert len(rows) == exercises * 2        # two students per autograded chapter
    ours_scores = {(r.student_file.split("_")[0], r.chapter, f"ex{r.exercise.replace('.', '_')}_check"): r.passed
                   for r in rows}
    assert set(ours_scores) == set(nbgrader_scores)
    for key, passed in ours_scores.items():
        assert nbgrader_scores[key] == (1.0 if passed else 0.0), (key, passed, nbgrader_scores[key])
    # The simulated students are graded as intended: some right, some wrong, some broken.
    assert [ours_scores[("alice", "01", f"ex1_{i}_check")] for i in (1, 2, 3)] == [True, False, False]
    assert [ours_scores[("bob", "02", f"ex2_{i}_check")] for i in (1, 2, 3)] == [False, True, True]
    assert (root / "grades.csv").read_text().count("\n") >= 2 * len(AUTOGRADED)


def test_the_guide_shows_the_commands_this_test_runs():
    for command in ("nbgrader generate_assignment ch01 --force", "nbgrader autograde ch01 --create --force",
                    "nbgrader export", "c.ExecutePreprocessor.timeout = 300"):
        assert command in GUIDE, command


def test_check_cells_write_nothing_to_stderr():
    """nbgrader gives a check cell with any stderr output zero points, even when the check passed."""
    for path in CHAPTERS:
        for cell in nbformat.read(path, as_version=4).cells:
            if role(cell)[0] == "check":
                streams = [o.get("name") for o in cell.get("outputs", []) if o.get("output_type") == "stream"]
                assert "stderr" not in streams, f"{path.name}: check {role(cell)[1]} wrote to stderr"
                assert streams == ["stdout"], f"{path.name}: check {role(cell)[1]} printed {streams}"


def test_nbgrader_is_not_a_course_requirement():
    for name in ("requirements.txt", "colab-runtime.txt", "pyproject.toml"):
        assert "nbgrader" not in (ROOT / name).read_text().lower(), name
