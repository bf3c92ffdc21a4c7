"""make quick: the edit-test loop, in under two minutes on a 2-core CPU.

    python -m tools.quick [--dry-run]

Runs the structure and contributing tests, the tests of the files changed
since the last commit (``git status``), and the chapters changed (or chapter 2,
the quickest, when none is), side by side. ``make test`` runs everything.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

from tools.course_config import ROOT

ALWAYS = ("tests/test_structure.py", "tests/test_contributing.py")
DEFAULT_CHAPTER = "book/02_sequence_format.ipynb"
NBVAL = ["--nbval", "--nbval-current-env", "--nbval-sanitize-with", "tests/nbval_sanitize.cfg",
         "--nbval-cell-timeout=300"]


def changed_files() -> list[str]:
    """Paths changed or added since the last commit, relative to the repository root."""
    status = subprocess.run(["git", "status", "--porcelain", "--untracked-files=all"], cwd=ROOT,
                            capture_output=True, text=True, check=True).stdout
    return [line[3:].split(" -> ")[-1].strip('"') for line in status.splitlines() if line[3:]]


def plan(changed: list[str]) -> tuple[list[str], list[str]]:
    """(test files, chapter notebooks) that cover ``changed``."""
    tests, chapters = set(ALWAYS), set()

    def add(path: str) -> None:
        if (ROOT / path).is_file():
            tests.add(path)

    for name in changed:
        path = Path(name)
        if name.startswith("book/") and path.suffix == ".ipynb":
            chapters.add(name)
            add("tests/test_exercise_checks.py")
        elif name.startswith("course_utils/exercises/") and path.stem.startswith("ch"):
            add(f"tests/test_exercises_{path.stem}.py")
        elif name.startswith("course_utils/") and path.suffix == ".py":
            add(f"tests/test_{path.stem}.py")
            add("tests/test_bad_inputs.py")
        elif name == "tools/grade.py" or name.startswith("tools/grading/"):
            add("tests/test_grading_wire.py")
            add("tests/test_grading.py")
        elif name.startswith("tools/") and path.suffix == ".py":
            add(f"tests/test_{path.stem}.py")
            add(f"tests/test_{path.stem}_tool.py")
        elif name.startswith("tests/test_") and path.suffix == ".py":
            add(name)
    return sorted(tests), sorted(chapters) or [DEFAULT_CHAPTER]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--dry-run", action="store_true", help="print what would run")
    args = parser.parse_args(argv)
    tests, chapters = plan(changed_files())
    print("make quick runs:", " ".join(tests + chapters), flush=True)
    if args.dry_run:
        return 0
    # Two runs: tests/ and book/ each have a conftest.py, which one pytest run would confuse.
    # The chapters run offline, as under make test; so do these tests.
    env = {**os.environ, "PYTHONPATH": str(ROOT / "tools" / "offline")}
    pytest = [sys.executable, "-m", "pytest", "-q", "-n", "2", "--dist", "loadfile"]
    for command in ([*pytest, *tests], [*pytest, *chapters, *NBVAL]):
        code = subprocess.run(command, cwd=ROOT, env=env).returncode
        if code:
            return code
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
