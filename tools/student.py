"""Write the student edition of every chapter (make student).

    python -m tools.student [--out dist/student] [--ref REF]

Solutions become ``# YOUR CODE HERE`` / ``raise NotImplementedError()`` stubs,
hidden tests are removed, outputs are cleared; Colab metadata and the bootstrap
cell stay (installing from ``--ref`` when given, for a published student branch or a tag).
"""

from __future__ import annotations

import argparse
from pathlib import Path

import nbformat


from tools import colab
from tools.course_config import ROOT, chapter_notebooks, load_repository
from tools.exercise_cells import BEGIN_HIDDEN, BEGIN_SOLUTION, clear_solutions, remove_hidden_tests


def student_notebook(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """A copy of ``nb`` with solutions stubbed, hidden tests removed and outputs cleared."""
    nb = nbformat.from_dict(nb)
    for cell in nb.cells:
        if BEGIN_SOLUTION in cell.source:
            cell.source = clear_solutions(cell.source)
            tags = [t for t in cell.metadata.get("tags", []) if t not in ("hide-input", "remove-input", "remove-cell")]
            cell.metadata["tags"] = tags
            if not tags:
                del cell.metadata["tags"]
        if BEGIN_HIDDEN in cell.source:
            cell.source = remove_hidden_tests(cell.source)
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
    return nb


def write_student_edition(out: Path, ref: str | None = None) -> list[Path]:
    """Write every chapter's student notebook under ``out``/book/ and return their paths."""
    repo = load_repository()
    written = []
    (out / "book").mkdir(parents=True, exist_ok=True)
    for path in chapter_notebooks():
        target = out / "book" / path.name
        nbformat.write(student_notebook(nbformat.read(path, as_version=4)), target)
        colab.sync(target, repo, ref)
        written.append(target)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=ROOT / "dist" / "student")
    parser.add_argument("--ref", "--branch", dest="ref",
                        help="git branch, tag or commit the bootstrap installs from (default: as in _config.yml)")
    args = parser.parse_args(argv)
    for path in write_student_edition(args.out, args.ref):
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
