"""Nothing is written twice: no six lines of code repeat between chapter cells, or between a chapter and
the course's Python (the `duplicates` tool reads no notebook, so this test reads them).

The generated course_utils/recipes.py is the one copy of the saved cells by design, and the Colab
bootstrap cell is the same in every chapter by design; both are left out. Imports, blank lines and
comments do not count.
"""

from __future__ import annotations

from collections import defaultdict

import nbformat
import pytest

from tools.colab import BOOTSTRAP_TAG
from tools.course_config import ROOT, chapter_notebooks

WINDOW = 6  # lines, as the duplicates tool counts them


def _lines(source: str) -> list[str]:
    kept = []
    for line in source.splitlines():
        line = line.split("  #")[0].strip()
        if line and not line.startswith(("#", "import ", "from ")):
            kept.append(line)
    return kept


def _places() -> dict[str, list[str]]:
    """Place (notebook and cell, or file) -> its meaningful lines."""
    places = {}
    for path in chapter_notebooks():
        for index, cell in enumerate(nbformat.read(path, as_version=4).cells):
            if cell.cell_type == "code" and BOOTSTRAP_TAG not in cell.metadata.get("tags", []):
                places[f"{path.name} cell {index}"] = _lines(cell.source)
    for folder in ("course_utils", "tools"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            if path.name != "recipes.py" or path.parent.name != "course_utils":
                places[str(path.relative_to(ROOT))] = _lines(path.read_text(encoding="utf-8"))
    return places


def repeated_blocks(places: dict[str, list[str]]) -> list[tuple[str, str, str]]:
    """(place, other place, first line) for every run of WINDOW lines found in two places."""
    seen: dict[tuple[str, ...], set[str]] = defaultdict(set)
    for place, lines in places.items():
        for start in range(len(lines) - WINDOW + 1):
            seen[tuple(lines[start:start + WINDOW])].add(place)
    found = {}
    for block, where in seen.items():
        chapters = sorted(p for p in where if ".ipynb" in p)
        if len(where) > 1 and chapters:          # a chapter is one side: tools/ and course_utils/ have `duplicates`
            pair = (chapters[0], sorted(where - {chapters[0]})[0])
            found.setdefault(pair, block[0])
    return [(a, b, line) for (a, b), line in sorted(found.items())]


def test_the_check_finds_a_repeated_block():
    block = "\n".join(f"x{i} = {i}" for i in range(WINDOW))
    assert repeated_blocks({"01.ipynb cell 3": _lines(block), "tools/x.py": _lines("import os\n" + block)})


@pytest.mark.rule
def test_no_chapter_repeats_six_lines_of_code():
    found = repeated_blocks(_places())
    assert not found, "written twice (save one copy with #@save, or call the helper): " + "; ".join(
        f"{a} and {b}, from {line!r}" for a, b, line in found)
