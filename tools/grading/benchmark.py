"""How fast make grade is: grade N copies of a chapter's student notebook, one at a time and in parallel.

    python -m tools.grading.benchmark [--chapter 05] [--copies 100] [--jobs 1 2]

The copies cycle through four kinds of submission: all right, all wrong (each
function returns None), untouched stubs, and broken (the first solution cell
does not parse). Prints submissions per minute for each --jobs value and checks
that every kind got the grades it should; it measures, it does not assert a speed.
"""

from __future__ import annotations

import argparse
import os
import re
import tempfile
import time
from pathlib import Path

import nbformat

from tools import grade, student
from tools.course_config import chapter_notebooks
from tools.exercise_cells import role

KINDS = ("right", "wrong", "unattempted", "broken")


def _wrong(source: str) -> str:
    """The solution's signature with a body that returns None."""
    signature = next(line for line in source.splitlines() if line.startswith("def "))
    return f"{signature}\n    return None\n"


def submission(instructor: nbformat.NotebookNode, kind: str) -> nbformat.NotebookNode:
    """A student-edition notebook filled in as one kind of student would."""
    nb = student.student_notebook(instructor)
    right = {role(c)[1]: c.source for c in instructor.cells if role(c)[0] == "solution"}
    first = next(iter(right))
    for cell in nb.cells:
        kind_, ident = role(cell)
        if kind_ != "solution":
            continue
        if kind == "right":
            cell.source = right[ident]
        elif kind == "wrong":
            cell.source = _wrong(right[ident])
        elif kind == "broken" and ident == first:
            cell.source = "def oops(:\n"
    return nb



def run(chapter: str, copies: int, jobs: list[int]) -> list[tuple[int, float]]:
    path = next(p for p in chapter_notebooks() if p.name.startswith(chapter))
    instructor = nbformat.read(path, as_version=4)
    results = []
    with tempfile.TemporaryDirectory(prefix="grade-bench-") as scratch:
        subs = Path(scratch) / "submissions"
        subs.mkdir()
        kinds = {}
        for i in range(copies):
            kind = KINDS[i % len(KINDS)]
            name = f"s{i:03d}_{path.name}"
            nbformat.write(submission(instructor, kind), subs / name)
            kinds[name] = kind
        for n in jobs:
            start = time.perf_counter()
            rows = grade.grade(subs, Path(scratch) / f"grades-{n}.csv", jobs=n)
            seconds = time.perf_counter() - start
            wrong = [r for r in rows if r.passed != (kinds[r.student_file] == "right")]
            if wrong:
                raise SystemExit(f"unexpected grades: {wrong[:3]}")
            results.append((n, seconds))
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--chapter", default="05", help="two-digit chapter number")
    parser.add_argument("--copies", type=int, default=100)
    parser.add_argument("--jobs", type=int, nargs="+", default=[1, 2])
    args = parser.parse_args(argv)
    if not re.fullmatch(r"\d\d", args.chapter):
        raise SystemExit(f"--chapter must be two digits such as 05, got {args.chapter!r}")
    results = run(args.chapter, args.copies, args.jobs)
    print(f"\n{args.copies} submissions of chapter {args.chapter} ({', '.join(KINDS)} in turn), "
          f"{os.cpu_count()} CPU cores:")
    print("| JOBS | seconds | submissions per minute |\n|---|---|---|")
    for n, seconds in results:
        print(f"| {n} | {seconds:.0f} | {60 * args.copies / seconds:.0f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
