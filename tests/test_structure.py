"""The book's contract: every chapter listed, executed in order, Colab-ready, importing course_utils."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest

from tools import colab
from tools.course_config import BOOK, ROOT, chapter_notebooks, load_repository, toc_files

CHAPTERS = chapter_notebooks()


def _read(path: Path) -> nbformat.NotebookNode:
    return nbformat.read(path, as_version=4)


def _code_cells(nb):
    return [c for c in nb.cells if c.cell_type == "code" and c.source.strip()]


def test_there_are_chapters():
    assert CHAPTERS, "no book/NN_*.ipynb found"


@pytest.mark.rule
def test_toc_lists_every_chapter_and_only_existing_files():
    listed = toc_files()
    for entry in listed:
        matches = list(ROOT.glob(entry + ".*"))
        assert matches, f"_toc.yml lists {entry!r}, which does not exist"
    for path in CHAPTERS:
        assert str(path.relative_to(ROOT).with_suffix("")) in listed, f"{path.name} is missing from _toc.yml"


@pytest.mark.rule
def test_no_stray_notebooks_outside_the_toc():
    listed = set(toc_files())
    for path in BOOK.rglob("*.ipynb"):
        if ".ipynb_checkpoints" in path.parts:
            continue
        assert str(path.relative_to(ROOT).with_suffix("")) in listed, f"{path} is not in _toc.yml"


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.name)
@pytest.mark.rule
def test_executed_top_to_bottom(path):
    counts = [c.execution_count for c in _code_cells(_read(path))]
    assert counts == list(range(1, len(counts) + 1)), (
        f"{path.name}: execution counts {counts}; run `make execute` to re-run it in a fresh kernel"
    )


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.name)
@pytest.mark.rule
def test_errors_only_where_tagged(path):
    for cell in _code_cells(_read(path)):
        errors = [o for o in cell.outputs if o.output_type == "error"]
        if errors:
            assert "raises-exception" in cell.metadata.get("tags", []), (
                f"{path.name} cell {cell.execution_count} has an error output but no raises-exception tag"
            )


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.name)
@pytest.mark.rule
def test_no_stderr_or_warnings_in_outputs(path):
    for cell in _code_cells(_read(path)):
        for out in cell.outputs:
            text = out.get("text", "") if out.output_type == "stream" else ""
            assert out.get("name") != "stderr", f"{path.name} cell {cell.execution_count} wrote to stderr: {text[:200]}"
            assert "Warning" not in text and "WARNING" not in text, (
                f"{path.name} cell {cell.execution_count} prints a warning: {text[:200]}"
            )


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.name)
@pytest.mark.rule
def test_opening_cells(path):
    nb = _read(path)
    assert nb.cells[0].cell_type == "markdown"
    number = int(path.name[:2])
    assert nb.cells[0].source.startswith(f"# {number}. "), f"{path.name} must open with '# {number}. Title'"
    code = _code_cells(nb)
    assert "colab-bootstrap" in code[0].metadata.get("tags", []), "first code cell must be the Colab bootstrap"
    assert "import course_utils as cu" in code[1].source and "cu.setup(" in code[1].source, (
        "second code cell must import course_utils and call cu.setup()"
    )


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.name)
@pytest.mark.rule
def test_colab_metadata_and_bootstrap_follow_config(path):
    assert colab.problems(path, load_repository()) == []


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.name)
@pytest.mark.rule
def test_outputs_are_png_not_svg(path):
    """nbval compares SVG as text and fonts vary between machines; the course uses PNG."""
    for cell in _code_cells(_read(path)):
        for out in cell.outputs:
            assert "image/svg+xml" not in out.get("data", {}), f"{path.name} has an SVG output"


@pytest.mark.parametrize("path", chapter_notebooks(), ids=lambda p: p.name)
@pytest.mark.rule
def test_every_raises_exception_cell_still_raises(path):
    """A "fails, then fixed" demonstration must still fail: its committed output (from a fresh run) is an error."""
    for cell in _code_cells(_read(path)):
        if "raises-exception" in cell.metadata.get("tags", []):
            errors = [o for o in cell.outputs if o.output_type == "error"]
            assert errors, f"{path.name}: cell {cell.execution_count} is tagged raises-exception but raised nothing"


def test_nbval_fails_a_raises_exception_cell_that_does_not_raise(tmp_path):
    """So `make test` catches a demonstration that stopped failing, not only the committed outputs."""
    import subprocess
    import sys

    from nbformat.v4 import new_code_cell, new_notebook, new_output

    cell = new_code_cell("x = 1  # the bug was fixed", execution_count=1)
    cell.metadata["tags"] = ["raises-exception"]
    cell.outputs = [new_output("error", ename="ValueError", evalue="bad", traceback=["ValueError: bad"])]
    nbformat.write(new_notebook(cells=[cell]), tmp_path / "demo.ipynb")
    run = subprocess.run([sys.executable, "-m", "pytest", "--nbval", "--nbval-current-env", "-q", "-p", "no:cacheprovider",
                          "demo.ipynb"], cwd=tmp_path, capture_output=True, text=True)
    assert run.returncode == 1 and "1 failed" in run.stdout, run.stdout[-2000:]


@pytest.mark.rule
def test_tools_run_as_modules_without_path_tricks():
    """One way for tools to import the course: `python -m tools.NAME` from the repository root."""
    offenders = [str(p.relative_to(ROOT)) for p in (ROOT / "tools").rglob("*.py")
                 if "sys.path.insert" in p.read_text(encoding="utf-8")]
    assert not offenders, offenders


@pytest.mark.rule
def test_no_words_from_outside_the_repository():
    """A maintainer sees neither issue numbers nor the source documents' file names: sources go by title."""
    import re

    pattern = re.compile(r"\bissue \d+|\bSources? 0\d\d\b|shared[/]seeds|\.\./shared[/]")
    files = [p for folder in ("tools", "tests", "course_utils", "book") for p in (ROOT / folder).rglob("*")
             if p.suffix in (".py", ".md", ".ipynb", ".yml", ".cfg") and "_build" not in p.parts]
    found = [f"{p.relative_to(ROOT)}: {m.group(0)}" for p in files
             for m in pattern.finditer(p.read_text(encoding="utf-8"))]
    assert not found, found
