"""Grade submitted chapter notebooks (make grade SUBMISSIONS=path/).

    python tools/grade.py SUBMISSIONS [--out grades.csv] [--timeout 600]

Every ``*.ipynb`` under SUBMISSIONS whose name contains a chapter number
(``01_...``) is graded against that chapter's instructor notebook in book/:

- the instructor's check cells replace the submitted ones (a deleted check is
  put back at the end), and the check modules are reloaded first, so editing a
  check does not change the grade;
- each notebook runs in its own fresh kernel, in a scratch copy, with a time
  limit and no network (as root on Linux also in its own network and mount
  namespace, with the course and submissions folders read-only);
- every exercise gets a row in grades.csv (student_file, chapter, exercise,
  passed, message), whatever happened: malformed JSON, a crash, a time-out.

A summary per exercise is printed and written next to the CSV.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import nbformat

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tools.course_config import ROOT, chapter_notebooks  # noqa: E402
from tools.exercises import Exercise, exercises, role  # noqa: E402

FIELDS = ["student_file", "chapter", "exercise", "passed", "message"]
FAILURE_NAMES = {"ExerciseFailed", "ExerciseNotAttempted"}
# Seconds for starting the worker and its kernel, on top of the notebook's own limit.
STARTUP_ALLOWANCE_S = 30

# Undo any monkey-patching of the checks by code in the submission.
RELOAD_CHECKS = (
    "import importlib as _grader_importlib, sys as _grader_sys\n"
    "for _grader_name in sorted(n for n in list(_grader_sys.modules) if n.startswith('course_utils.exercises')):\n"
    "    _grader_importlib.reload(_grader_sys.modules[_grader_name])\n"
)

# Loaded into every grading kernel through PYTHONPATH: no internet connections.
OFFLINE_GUARD = Path(__file__).resolve().parent / "offline"


@dataclass
class Row:
    student_file: str
    chapter: str
    exercise: str
    passed: bool
    message: str


def instructor_chapters() -> dict[str, tuple[Path, list[Exercise]]]:
    """Chapter number -> (instructor notebook, its exercises)."""
    chapters = {}
    for path in chapter_notebooks():
        chapters[path.name[:2]] = (path, exercises(nbformat.read(path, as_version=4)))
    return chapters


def chapter_of(path: Path) -> str | None:
    """The two-digit chapter number in a submission's file name, e.g. alice_01_rnn.ipynb -> '01'."""
    match = re.search(r"(?:^|[^0-9])(\d\d)_", path.name)
    return match[1] if match else None


def prepare(nb: nbformat.NotebookNode, expected: list[Exercise]) -> nbformat.NotebookNode:
    """Put the instructor's checks in place (replacing, or appending deleted ones) and clear outputs."""
    canonical = {ex.id: ex.check_source for ex in expected}
    seen = set()
    for cell in nb.cells:
        kind, ident = role(cell)
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
        if kind == "check":
            if ident in canonical and ident not in seen:
                cell.source = RELOAD_CHECKS + canonical[ident]
                seen.add(ident)
            else:  # an unknown or duplicated check cell is not trusted
                cell.cell_type, cell.source = "raw", ""
                cell.pop("outputs", None)
                cell.pop("execution_count", None)
                cell.metadata.pop("course", None)
    for ex in expected:
        if ex.id not in seen:
            cell = nbformat.v4.new_code_cell(RELOAD_CHECKS + ex.check_source)
            cell.metadata["course"] = {"role": "check", "exercise": ex.id, "restored": True}
            nb.cells.append(cell)
    return nb


def check_results(nb: nbformat.NotebookNode) -> dict[str, tuple[bool, str]]:
    """Exercise id -> (passed, message) read from the executed check cells."""
    results = {}
    for cell in nb.cells:
        kind, ident = role(cell)
        if kind != "check" or cell.cell_type != "code":
            continue
        restored = " (the check cell had been deleted and was put back)" if cell.metadata["course"].get("restored") else ""
        errors = [o for o in cell.get("outputs", []) if o.output_type == "error"]
        text = "".join(o.get("text", "") for o in cell.get("outputs", []) if o.output_type == "stream")
        if cell.get("execution_count") is None and not errors:
            results[ident] = (False, "check did not run: the kernel stopped before reaching it" + restored)
        elif errors:
            error = errors[0]
            if error.ename in FAILURE_NAMES:
                results[ident] = (False, error.evalue + restored)
            elif error.ename == "NameError":
                results[ident] = (False, f"{error.evalue}: the solution cell was deleted, renamed or failed to run" + restored)
            else:
                results[ident] = (False, f"check raised {error.ename}: {error.evalue}" + restored)
        else:
            line = next((ln for ln in text.splitlines() if ln.startswith("✓")), "")
            results[ident] = (bool(line), (line[2:] if line else "check printed no result") + restored)
    return results


def worker(notebook: Path, result: Path, timeout: int) -> None:
    """Execute ``notebook`` in a fresh kernel over IPC (no TCP needed) and write check results as JSON."""
    from jupyter_client.manager import AsyncKernelManager
    from nbclient import NotebookClient
    from nbclient.exceptions import CellTimeoutError, DeadKernelError

    nb = nbformat.read(notebook, as_version=4)
    km = AsyncKernelManager(kernel_name="python3", transport="ipc", ip=str(notebook.parent / "kernel"))
    client = NotebookClient(
        nb, km=km, timeout=timeout, interrupt_on_timeout=True, allow_errors=True,
        record_timing=False, shutdown_kernel="immediate",
    )
    problem = None
    try:
        client.execute(cwd=str(notebook.parent))
    except CellTimeoutError:
        problem = f"a cell ran longer than the {timeout} s limit"
    except DeadKernelError:
        problem = "the kernel died (the notebook exited or ran out of memory)"
    stopped = [
        str(cell.execution_count) for cell in nb.cells if cell.cell_type == "code"
        and any(o.output_type == "error" and o.ename == "KeyboardInterrupt" for o in cell.outputs)
    ]
    if stopped and not problem:
        problem = f"cell {', '.join(stopped)} was stopped at the {timeout} s time limit"
    results = check_results(nb)
    if problem:
        results = {k: (p, m if p else f"{m}; {problem}") for k, (p, m) in results.items()}
    result.write_text(json.dumps(results), encoding="utf-8")


def _namespaces_available() -> bool:
    if os.name != "posix" or os.geteuid() != 0 or not shutil.which("unshare"):
        return False
    probe = subprocess.run(["unshare", "-n", "-m", "true"], capture_output=True)
    return probe.returncode == 0


def _sandbox_command(readonly: list[Path]) -> list[str]:
    """Prefix that runs a command without network and with ``readonly`` folders read-only, where possible."""
    if not _namespaces_available():
        return []
    mounts = " && ".join(
        f"mount --bind '{p}' '{p}' && mount -o remount,bind,ro '{p}'" for p in readonly
    )
    return ["unshare", "-n", "-m", "sh", "-c", f'{mounts} && exec "$@"', "sh"]


def grade_one(path: Path, display: str, chapters: dict, timeout: int, readonly: list[Path]) -> list[Row]:
    """All rows for one submitted notebook; never raises."""
    chapter = chapter_of(path)
    if chapter not in chapters:
        return [Row(display, chapter or "?", "*", False, "file name names no chapter of the course (expected e.g. 01_rnn_fundamentals.ipynb)")]
    _, expected = chapters[chapter]

    def rows(message: str) -> list[Row]:
        return [Row(display, chapter, ex.id, False, message) for ex in expected]

    try:
        nb = nbformat.read(path, as_version=4)
        nbformat.validate(nb)
    except Exception as error:  # noqa: BLE001 - any unreadable file is reported, not fatal
        return rows(f"malformed notebook, not graded: {type(error).__name__}: {str(error)[:200]}")

    with tempfile.TemporaryDirectory(prefix="grade-") as scratch:
        scratch_dir = Path(scratch)
        work = scratch_dir / "work"
        work.mkdir()
        notebook = work / path.name
        nbformat.write(prepare(nb, expected), notebook)
        result = scratch_dir / "result.json"
        env = {**os.environ, "PYTHONPATH": str(OFFLINE_GUARD), "HOME": str(work),
               "MPLBACKEND": "Agg", "PYTHONDONTWRITEBYTECODE": "1"}
        command = _sandbox_command(readonly) + [
            sys.executable, str(Path(__file__).resolve()), "--worker", str(notebook), str(result), "--timeout", str(timeout)
        ]
        log = scratch_dir / "worker.log"
        with log.open("w") as log_handle:
            # Own process group, so a time-out kills the kernel too, not only the worker.
            process = subprocess.Popen(command, cwd=work, env=env, stdout=log_handle, stderr=subprocess.STDOUT,
                                       start_new_session=True)
            try:
                process.wait(timeout=timeout + STARTUP_ALLOWANCE_S)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
                return rows(f"time limit exceeded: the notebook ran longer than {timeout} s")
        if not result.exists():
            return rows(f"grading failed before any check ran: {log.read_text(errors='replace').strip()[-300:]}")
        results = json.loads(result.read_text(encoding="utf-8"))
    return [Row(display, chapter, ex.id, *results.get(ex.id, (False, "check result missing"))) for ex in expected]


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


def grade(submissions: Path, out: Path, timeout: int = 600) -> list[Row]:
    """Grade every notebook under ``submissions``; write ``out`` (CSV) and a summary beside it."""
    if not submissions.is_dir():
        raise SystemExit(f"SUBMISSIONS must be a folder of notebooks, got {submissions}")
    chapters = instructor_chapters()
    readonly = [ROOT, submissions.resolve()]
    rows: list[Row] = []
    for path in sorted(submissions.rglob("*.ipynb")):
        if ".ipynb_checkpoints" in path.parts:
            continue
        display = str(path.relative_to(submissions))
        print(f"grading {display} ...", flush=True)
        rows += grade_one(path, display, chapters, timeout, readonly)
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
    parser.add_argument("result", type=Path, nargs="?", help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, default=Path("grades.csv"))
    parser.add_argument("--timeout", type=int, default=600, help="seconds allowed per notebook")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        worker(args.submissions, args.result, args.timeout)
        return 0
    grade(args.submissions, args.out, args.timeout)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
