"""Grade submitted chapter notebooks (make grade SUBMISSIONS=path/ [JOBS=N]).

    python -m tools.grade SUBMISSIONS [--out grades.csv] [--timeout 120] [--jobs N]

SUBMISSIONS is a folder (every ``*.ipynb`` under it) or one notebook. A file is
graded against the chapter its name contains (``alice_05_lstm.ipynb`` -> 05):

- only the exercise section runs: the chapter's setup cell (taken from the
  instructor's notebook, not the submission) and the submission's solution
  cells, in a fresh sandboxed process: no network, the course read-only, no
  Keras or checks importable, no processes started (``tools.grading.learner``);
- the checks run here, in the grader's own process, which never executes
  learner code: each check calls the learner's functions through a pipe and
  receives plain data back, so nothing a submission patches, prints or redefines
  can change a grade;
- every exercise gets a row in the CSV (student_file, chapter, exercise,
  passed, message), whatever happened: malformed JSON, a crash, a time-out.

Submissions are independent jobs: ``--jobs N`` grades N at a time, with the
same rows as one at a time; one file per call suits a CI job per student.
A summary per exercise is printed and written next to the CSV.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import importlib
import io
import re
import tempfile
from collections import defaultdict
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from multiprocessing import get_context
from pathlib import Path

import nbformat

from tools.course_config import ROOT, chapter_notebooks
from tools.exercise_cells import CHECKS_PACKAGE, Exercise, exercises, setup_source, solution_sources
from tools.grading.session import LearnerSession, LearnerStopped, namespaces_available

FIELDS = ["student_file", "chapter", "exercise", "passed", "message"]
DEFAULT_TIMEOUT = 120  # seconds per submission: the exercise sections need a few


@dataclass
class Row:
    student_file: str
    chapter: str
    exercise: str
    passed: bool
    message: str


@dataclass(frozen=True)
class Chapter:
    """What grading a chapter needs from its instructor notebook."""

    notebook: Path
    setup: str
    exercises: list[Exercise]


def instructor_chapters() -> dict[str, Chapter]:
    """Chapter number ('05') -> its setup cell and exercises, read from the instructor notebooks."""
    chapters = {}
    for path in chapter_notebooks():
        nb = nbformat.read(path, as_version=4)
        chapters[path.name[:2]] = Chapter(path, setup_source(nb), exercises(nb))
    return chapters


def chapter_of(path: Path) -> str | None:
    """The two-digit chapter number in a submission's file name, e.g. alice_01_rnn.ipynb -> '01'."""
    match = re.search(r"(?:^|[^0-9])(\d\d)_", path.name)
    return match[1] if match else None


def run_check(exercise: Exercise, function) -> tuple[bool, str]:
    """Run one pristine check on a learner function (a stand-in calling into the learner process)."""
    from course_utils.exercises import ExerciseFailed, ExerciseNotAttempted

    check = getattr(importlib.import_module(f"{CHECKS_PACKAGE}.{exercise.module}"), exercise.check)
    printed = io.StringIO()
    try:
        with contextlib.redirect_stdout(printed):
            check(function)
    except ExerciseNotAttempted:
        return False, "not attempted"
    except ExerciseFailed as failure:
        return False, failure.hint
    except LearnerStopped as stopped:
        return False, str(stopped)
    except Exception as error:  # noqa: BLE001 - a check that breaks is reported, never fatal
        return False, f"the check itself failed ({type(error).__name__}: {error}); tell the course maintainers"
    line = next((ln for ln in printed.getvalue().splitlines() if ln.startswith("✓")), "✓ passed")
    return True, line[2:]


def grade_one(path: Path, display: str, chapters: dict[str, Chapter], timeout: float,
              readonly: list[Path]) -> list[Row]:
    """All rows for one submitted notebook; never raises."""
    chapter_id = chapter_of(path)
    if chapter_id not in chapters:
        return [Row(display, chapter_id or "?", "*", False,
                    "file name names no chapter of the course (expected e.g. 01_rnn_fundamentals.ipynb)")]
    chapter = chapters[chapter_id]

    def rows(message: str) -> list[Row]:
        return [Row(display, chapter_id, ex.id, False, message) for ex in chapter.exercises]

    try:
        nb = nbformat.read(path, as_version=4)
        nbformat.validate(nb)
        solutions = solution_sources(nb)
    except Exception as error:  # noqa: BLE001 - any unreadable file is reported, not fatal
        return rows(f"malformed notebook, not graded: {type(error).__name__}: {str(error)[:200]}")

    ordered = [(ex.id, solutions[ex.id]) for ex in chapter.exercises if ex.id in solutions]
    result = []
    with tempfile.TemporaryDirectory(prefix="grade-") as scratch:
        with LearnerSession(chapter.setup, ordered, timeout=timeout, workdir=Path(scratch),
                            readonly=readonly) as learner:
            if learner.setup_error and not learner.stopped:
                return rows(f"the exercise setup failed while grading ({learner.setup_error}); tell the course maintainers")
            for ex in chapter.exercises:
                passed, message = _verdict(ex, solutions, learner)
                result.append(Row(display, chapter_id, ex.id, passed, message))
    return result


def _verdict(ex: Exercise, solutions: dict[str, str], learner: LearnerSession) -> tuple[bool, str]:
    if ex.id not in solutions:
        return False, "no solution cell for this exercise (it was deleted, or its cell metadata was removed)"
    if learner.stopped:
        return False, learner.stopped
    try:
        if not learner.defines(ex.function):
            error = learner.cell_errors.get(ex.id)
            why = f"the solution cell raised {error}" if error else "the solution cell must define it"
            return False, f"no function `{ex.function}` was defined: {why}"
    except LearnerStopped as stopped:
        return False, str(stopped)
    return run_check(ex, learner.function(ex.function))


def _submissions(where: Path) -> list[tuple[Path, str]]:
    if where.is_file():
        return [(where, where.name)]
    found = sorted(p for p in where.rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts)
    return [(p, str(p.relative_to(where))) for p in found]


def _grade_job(job: tuple[Path, str, float, list[Path]]) -> list[Row]:
    path, display, timeout, readonly = job
    return grade_one(path, display, _chapters(), timeout, readonly)


_CHAPTERS: dict[str, Chapter] | None = None


def _chapters() -> dict[str, Chapter]:
    global _CHAPTERS
    if _CHAPTERS is None:
        _CHAPTERS = instructor_chapters()
    return _CHAPTERS


def summary(rows: list[Row]) -> str:
    """A short Markdown table per exercise: how many passed, and the most common failure."""
    by_exercise: dict[tuple[str, str], list[Row]] = defaultdict(list)
    for row in rows:
        by_exercise[(row.chapter, row.exercise)].append(row)
    lines = ["| chapter | exercise | passed | most common problem |", "|---|---|---|---|"]
    for (chapter, exercise), group in sorted(by_exercise.items()):
        failures = [r.message for r in group if not r.passed]
        common = max(set(failures), key=failures.count) if failures else ""
        lines.append(f"| {chapter} | {exercise} | {sum(r.passed for r in group)}/{len(group)} | {common[:120]} |")
    return "\n".join(lines)


def grade(submissions: Path, out: Path, timeout: float = DEFAULT_TIMEOUT, jobs: int = 1) -> list[Row]:
    """Grade every notebook under ``submissions`` (or that one file); write ``out`` (CSV) and a summary beside it."""
    if not submissions.exists():
        raise SystemExit(f"SUBMISSIONS must be a folder of notebooks or one notebook, got {submissions}")
    if type(jobs) is not int or jobs < 1:
        raise SystemExit(f"JOBS must be a whole number of at least 1, got {jobs!r}")
    readonly = [ROOT, submissions.resolve()] if namespaces_available() else []
    todo = [(path, display, timeout, readonly) for path, display in _submissions(submissions)]
    rows: list[Row] = []
    if jobs == 1:
        for job in todo:
            print(f"grading {job[1]} ...", flush=True)
            rows += _grade_job(job)
    else:
        with ProcessPoolExecutor(max_workers=jobs, mp_context=get_context("spawn")) as pool:
            for job, graded in zip(todo, pool.map(_grade_job, todo)):
                print(f"graded {job[1]}", flush=True)
                rows += graded
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(FIELDS)
        for row in rows:
            writer.writerow([row.student_file, row.chapter, row.exercise, row.passed, row.message])
    table = summary(rows)
    out.with_name(out.stem + "_summary.md").write_text(table + "\n", encoding="utf-8")
    print(table)
    print(f"wrote {out} ({len(rows)} rows)")
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("submissions", type=Path)
    parser.add_argument("--out", type=Path, default=Path("grades.csv"))
    parser.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT, help="seconds allowed per submission")
    parser.add_argument("--jobs", type=int, default=1, help="submissions graded at the same time")
    args = parser.parse_args(argv)
    grade(args.submissions, args.out, args.timeout, args.jobs)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
