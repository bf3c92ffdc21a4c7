"""Execute chapter notebooks in place, top to bottom, each in a fresh kernel (make execute).

    python -m tools.execute [NOTEBOOK ...] [--timeout SECONDS] [--seed N --dry-run]

With ``--seed N`` the chapters run under COURSE_SEED=N; ``--dry-run`` leaves
the files untouched (make seeds uses both to prove the claims hold for any seed).

Stops at the first notebook with an unexpected error (cells tagged
``raises-exception`` may fail) and names the cell, so a stale output is never
committed silently.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError


from tools.course_config import chapter_notebooks


def merge_streams(outputs: list) -> list:
    """Join consecutive pieces of one stream: a busy kernel may flush a print in two.

    nbval compares merged streams too, and the grading tests read one
    stdout output per check cell, so the committed file should not depend
    on how loaded the machine was. nbval's own coalesce_streams joins every
    piece of a stream, which would move a print after a figure above it on
    the page; this joins neighbours only.
    """
    merged: list = []
    for output in outputs:
        previous = merged[-1] if merged else None
        if (
            output.get("output_type") == "stream"
            and previous is not None
            and previous.get("output_type") == "stream"
            and previous.get("name") == output.get("name")
        ):
            previous["text"] = "".join(previous["text"]) + "".join(output["text"])
        else:
            merged.append(output)
    return merged


def execute(path: Path, timeout: int = 600, write: bool = True) -> float:
    """Run ``path`` in a fresh python3 kernel with book/ as working directory; return seconds taken."""
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(
        nb, timeout=timeout, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}
    )
    start = time.perf_counter()
    client.execute()
    elapsed = time.perf_counter() - start
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = merge_streams(cell.outputs)
    if write:
        nbformat.write(nb, path)
    return elapsed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("notebooks", nargs="*", type=Path)
    parser.add_argument("--timeout", type=int, default=600, help="seconds allowed per cell")
    parser.add_argument("--seed", type=int, help="run under COURSE_SEED=SEED")
    parser.add_argument("--dry-run", action="store_true", help="execute without writing the notebooks")
    args = parser.parse_args(argv)
    if args.seed is not None:
        os.environ["COURSE_SEED"] = str(args.seed)  # the kernel inherits it
    for path in args.notebooks or chapter_notebooks():
        try:
            seconds = execute(path, args.timeout, write=not args.dry_run)
        except CellExecutionError as error:
            print(f"FAILED {path}:\n{error}", file=sys.stderr)
            return 1
        except CellTimeoutError as error:
            print(f"FAILED {path}: a cell ran longer than {args.timeout} s:\n{error}", file=sys.stderr)
            return 1
        seed = f" with COURSE_SEED={args.seed}" if args.seed is not None else ""
        print(f"executed {path}{seed} in {seconds:.1f} s{' (not written)' if args.dry_run else ''}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
