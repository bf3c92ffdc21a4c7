"""Grade submitted chapter notebooks (make grade SUBMISSIONS=path/ [JOBS=N]).

    python -m tools.grade SUBMISSIONS [--out grades.csv] [--timeout 120] [--jobs N]

SUBMISSIONS is a folder (every ``*.ipynb`` under it) or one notebook. A file is
graded against the chapter its name contains (``alice_05_lstm.ipynb`` -> 05):

- only the exercise section runs: the chapter's setup cell (taken from the
  instructor's notebook, not the submission) and the submission's solution
  cells, in a fresh process inside the operating system's sandbox
  (``tools.grading.sandbox``: bubblewrap, an unprivileged user, a read-only
  minimal filesystem without the course, the checks or other submissions, its
  own /proc, no network, memory and process limits, seccomp);
- the checks run here, in the grader's own process, which never executes
  learner code and loads every check before the first submission runs: each
  check calls the learner's functions through a pipe and receives plain data
  back, so nothing a submission patches, prints or redefines can change a grade;
- every exercise gets a row in the CSV (student_file, chapter, exercise,
  passed, message), whatever happened: malformed JSON, a crash, a time-out, a
  forged reply. Cells are safe to open in a spreadsheet (no formulas) and the
  summary's messages are escaped Markdown.

Where bubblewrap is missing the grader refuses, in one sentence, rather than
grade with weaker isolation.

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
import json
import os
import re
import tempfile
import unicodedata
from collections import defaultdict
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from multiprocessing import get_context
from pathlib import Path

import nbformat

from tools.course_config import ROOT, chapter_notebooks
from tools.exercise_cells import CHECKS_PACKAGE, Exercise, exercises, setup_source, solution_sources
from tools.grading import sandbox
from tools.grading.session import LearnerSession, LearnerStopped

FIELDS = ["student_file", "chapter", "exercise", "passed", "message"]
DEFAULT_TIMEOUT = 120  # seconds per submission: the exercise sections need a few
MAX_NOTEBOOK = 100 * 1024 * 1024  # bytes; a bigger file is reported, not read
#: Libraries the checks use, imported before any submission runs (they would otherwise load lazily).
CHECK_LIBRARIES = ("numpy", "sklearn.preprocessing", "keras", "tensorflow")


@dataclass
class Row:
    student_file: str
    chapter: str
    exercise: str
    passed: bool
    message: str


@dataclass(frozen=True)
class Chapter:
    """What grading a chapter needs from its instructor notebook and its check module."""

    notebook: Path
    setup: str
    exercises: list[Exercise]
    hidden: tuple[str, ...]  # libraries its solutions may not import (sandbox.ANSWER_KEYS less those allowed)


def _hidden_for(module_names: set[str]) -> tuple[str, ...]:
    allowed: set[str] = set()
    for name in module_names:
        allowed |= set(getattr(importlib.import_module(f"{CHECKS_PACKAGE}.{name}"), "SOLUTIONS_MAY_IMPORT", ()))
    return tuple(key for key in sandbox.ANSWER_KEYS if key not in allowed)


def instructor_chapters() -> dict[str, Chapter]:
    """Chapter number ('05') -> its setup cell, exercises and sandbox policy, read from the instructor notebooks."""
    chapters = {}
    for path in chapter_notebooks():
        nb = nbformat.read(path, as_version=4)
        found = exercises(nb)
        chapters[path.name[:2]] = Chapter(path, setup_source(nb), found, _hidden_for({ex.module for ex in found}))
    return chapters


def load_checks(chapters: dict[str, Chapter]) -> None:
    """Import every check module and the libraries they use, before any learner code runs."""
    for chapter in chapters.values():
        for ex in chapter.exercises:
            getattr(importlib.import_module(f"{CHECKS_PACKAGE}.{ex.module}"), ex.check)
    for name in CHECK_LIBRARIES:
        with contextlib.suppress(ImportError):
            importlib.import_module(name)


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
        return False, f"the check itself failed ({describe(error)}); tell the course maintainers"
    line = next((ln for ln in printed.getvalue().splitlines() if ln.startswith("✓")), "✓ passed")
    return True, line[2:]


MAX_NESTING = 64  # levels of JSON in a notebook: real ones have about 6; deeper ones make libraries recurse


def _nesting(value: object) -> int:
    """How deeply lists and dicts nest in ``value``, counted without recursion."""
    deepest, todo = 0, [(value, 1)]
    while todo:
        item, depth = todo.pop()
        if isinstance(item, (list, dict)):
            deepest = max(deepest, depth)
            if deepest > MAX_NESTING:
                break
            todo.extend((v, depth + 1) for v in (item.values() if isinstance(item, dict) else item))
    return deepest


def grade_one(path: Path, display: str, chapters: dict[str, Chapter], timeout: float, slot: int = 0,
              also_hide: tuple[Path, ...] = ()) -> list[Row]:
    """All rows for one submitted notebook; never raises: whatever goes wrong is this submission's rows."""
    chapter_id = chapter_of(path)
    if chapter_id not in chapters:
        return [Row(display, chapter_id or "?", "*", False,
                    "file name names no chapter of the course (expected e.g. 01_rnn_fundamentals.ipynb)")]
    chapter = chapters[chapter_id]

    def rows(message: str) -> list[Row]:
        return [Row(display, chapter_id, ex.id, False, message) for ex in chapter.exercises]

    try:
        if path.is_symlink():
            return rows("not graded: the submission is a symbolic link, not a notebook file")
        if path.stat().st_size > MAX_NOTEBOOK:
            return rows(f"not graded: the notebook is larger than {MAX_NOTEBOOK >> 20} MB")
        text = path.read_text(encoding="utf-8")
        if _nesting(json.loads(text)) > MAX_NESTING:
            return rows(f"malformed notebook, not graded: its JSON is nested more than {MAX_NESTING} levels deep")
        nb = nbformat.reads(text, as_version=4)
        nbformat.validate(nb)
        solutions = solution_sources(nb)
    except Exception as error:  # noqa: BLE001 - any unreadable file is reported, not fatal
        return rows(f"malformed notebook, not graded: {describe(error)}")
    try:
        return _graded(display, chapter_id, chapter, solutions, timeout, slot, also_hide)
    except Exception as error:  # noqa: BLE001 - one submission never stops the others
        return rows(f"grading failed: {describe(error)}")


def _graded(display: str, chapter_id: str, chapter: Chapter, solutions: dict[str, str], timeout: float,
            slot: int, also_hide: tuple[Path, ...]) -> list[Row]:
    ordered = [(ex.id, solutions[ex.id]) for ex in chapter.exercises if ex.id in solutions]
    result = []
    with tempfile.TemporaryDirectory(prefix="grade-") as scratch:
        with LearnerSession(chapter.setup, ordered, timeout=timeout, log=Path(scratch) / "learner.log", slot=slot,
                            hidden=chapter.hidden, also_hide=also_hide) as learner:
            if learner.setup_error and not learner.stopped:
                message = f"the exercise setup failed while grading ({learner.setup_error}); tell the course maintainers"
                return [Row(display, chapter_id, ex.id, False, message) for ex in chapter.exercises]
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


# ---------------------------------------------------------------- one job per submission

_CHAPTERS: dict[str, Chapter] | None = None
_SLOT = 0


def _chapters() -> dict[str, Chapter]:
    global _CHAPTERS
    if _CHAPTERS is None:
        _CHAPTERS = instructor_chapters()
        load_checks(_CHAPTERS)
    return _CHAPTERS


def _start_worker(slots) -> None:
    """A grading worker: its own sandbox user id (slot), and every check loaded before its first job."""
    global _SLOT
    _SLOT = slots.get()
    _chapters()


def _grade_job(job: tuple[Path, str, float, tuple[Path, ...]]) -> list[Row]:
    path, display, timeout, also_hide = job
    return grade_one(path, display, _chapters(), timeout, _SLOT, also_hide)


def _failed(job: tuple[Path, str, float, tuple[Path, ...]], message: str) -> list[Row]:
    path, display = job[0], job[1]
    chapter_id = chapter_of(path)
    chapter = _chapters().get(chapter_id)
    names = [ex.id for ex in chapter.exercises] if chapter else ["*"]
    return [Row(display, chapter_id or "?", ident, False, message) for ident in names]


def _grade_in_parallel(todo: list, jobs: int) -> list[list[Row]]:
    """Each job's rows, in order; a worker that dies costs only the submissions it was grading."""
    results: dict[int, list[Row]] = {}
    pending, tries = list(range(len(todo))), defaultdict(int)
    while pending:
        context = get_context("spawn")
        slots = context.Queue()
        for slot in range(jobs):
            slots.put(sandbox.slot_base() + slot)
        broken = []
        with ProcessPoolExecutor(max_workers=jobs, mp_context=context, initializer=_start_worker,
                                 initargs=(slots,)) as pool:
            futures = {pool.submit(_grade_job, todo[i]): i for i in pending}
            for future in as_completed(futures):
                i = futures[future]
                try:
                    results[i] = future.result()
                    print(f"graded {printable(todo[i][1])}", flush=True)
                except BrokenProcessPool:
                    broken.append(i)
                except Exception as error:  # noqa: BLE001 - one submission never stops the others
                    results[i] = _failed(todo[i], f"grading failed: {describe(error)}")
        pending = []
        for i in sorted(broken):
            tries[i] += 1
            if tries[i] < 2:
                pending.append(i)
            else:
                results[i] = _failed(todo[i], "grading failed: the grader's worker process died twice on it")
    return [results[i] for i in range(len(todo))]


# ---------------------------------------------------------------- output files, safe to open

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")  # OWASP: a spreadsheet reads these as a formula
_MARKDOWN = re.compile(r"([\\`*_\[\]<>#!|~&$:])")  # markup, math and autolinks inside a table cell


def printable(text: str) -> str:
    """One line without control characters (terminal escapes, newlines, line and paragraph separators)."""
    return "".join(" " if unicodedata.category(ch)[0] == "C" or unicodedata.category(ch) in ("Zl", "Zp") else ch
                   for ch in str(text))


def describe(error: BaseException) -> str:
    """``Type: message`` of an exception, even when its message cannot be made (it recurses, or raises)."""
    try:
        return f"{type(error).__name__}: {str(error)[:200]}"
    except Exception:  # noqa: BLE001 - a message that cannot be printed is not the grader's end
        return type(error).__name__


def csv_cell(value: object) -> str:
    text = str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def markdown_cell(text: str) -> str:
    return _MARKDOWN.sub(r"\\\1", printable(text))


def checked_output(out: Path) -> list[Path]:
    """The CSV and summary paths, refused before grading starts if they cannot be written as plain files."""
    paths = [out, out.with_name(out.stem + "_summary.md")]
    for path in paths:
        if path.is_symlink():
            raise SystemExit(f"--out: {path} is a symbolic link; give the path of a plain file")
        if path.exists() and not path.is_file():
            raise SystemExit(f"--out: {path} exists and is not a file; give the path of a CSV file to write")
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise SystemExit(f"--out: cannot make the folder {out.parent} ({error.strerror})") from None
    if not os.access(out.parent, os.W_OK):
        raise SystemExit(f"--out: the folder {out.parent} is not writable")
    return paths


def _write_atomically(path: Path, write) -> None:
    """Write through a temporary file in the same folder, then rename it into place."""
    handle = tempfile.NamedTemporaryFile("w", dir=path.parent, prefix=f".{path.name}.", delete=False,
                                         newline="", encoding="utf-8")
    try:
        with handle:
            write(handle)
        os.replace(handle.name, path)
    except BaseException:
        Path(handle.name).unlink(missing_ok=True)
        raise


def summary(rows: list[Row]) -> str:
    """A short Markdown table per exercise: how many passed, and the most common failure."""
    by_exercise: dict[tuple[str, str], list[Row]] = defaultdict(list)
    for row in rows:
        by_exercise[(row.chapter, row.exercise)].append(row)
    lines = ["| chapter | exercise | passed | most common problem |", "|---|---|---|---|"]
    for (chapter, exercise), group in sorted(by_exercise.items()):
        failures = [r.message for r in group if not r.passed]
        common = max(set(failures), key=failures.count) if failures else ""
        lines.append(f"| {markdown_cell(chapter)} | {markdown_cell(exercise)} | {sum(r.passed for r in group)}/"
                     f"{len(group)} | {markdown_cell(common[:120])} |")
    return "\n".join(lines)


def grade(submissions: Path, out: Path, timeout: float = DEFAULT_TIMEOUT, jobs: int = 1) -> list[Row]:
    """Grade every notebook under ``submissions`` (or that one file); write ``out`` (CSV) and a summary beside it."""
    if not submissions.exists():
        raise SystemExit(f"SUBMISSIONS must be a folder of notebooks or one notebook, got {submissions}")
    if type(jobs) is not int or not 1 <= jobs <= sandbox.SLOTS_PER_RUN:
        raise SystemExit(f"JOBS must be a whole number from 1 to {sandbox.SLOTS_PER_RUN}, got {jobs!r}")
    if not (isinstance(timeout, (int, float)) and 0 < timeout <= 3600):
        raise SystemExit(f"TIMEOUT must be a number of seconds above 0 and at most 3600, got {timeout!r}")
    csv_path, summary_path = checked_output(out)
    try:
        sandbox.check_available()
    except sandbox.SandboxUnavailable as error:
        raise SystemExit(f"make grade: {error}") from None
    also_hide = (submissions.resolve(), csv_path.parent.resolve())
    todo = [(path, display, timeout, also_hide) for path, display in _submissions(submissions)]
    global _SLOT
    if jobs == 1:
        _SLOT = sandbox.slot_base()
        _chapters()  # every check loaded before the first submission runs
        graded = []
        for job in todo:
            print(f"grading {printable(job[1])} ...", flush=True)
            try:
                graded.append(_grade_job(job))
            except Exception as error:  # noqa: BLE001 - grade_one never raises; this is the last net
                graded.append(_failed(job, f"grading failed: {describe(error)}"))
    else:
        graded = _grade_in_parallel(todo, jobs)
    rows = [row for group in graded for row in group]

    def write_csv(handle) -> None:
        writer = csv.writer(handle)
        writer.writerow(FIELDS)
        for row in rows:
            writer.writerow([csv_cell(printable(v)[:2000]) for v in
                             (row.student_file, row.chapter, row.exercise, row.passed, row.message)])

    table = summary(rows)
    _write_atomically(csv_path, write_csv)
    _write_atomically(summary_path, lambda handle: handle.write(table + "\n"))
    print(table)
    print(f"wrote {printable(csv_path)} ({len(rows)} rows)")
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
