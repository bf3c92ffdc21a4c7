"""A helper's docstring that names "(chapter N)" names the chapter that first uses it, in table-of-contents order."""

from __future__ import annotations

import inspect
import re

import nbformat
import pytest

import course_utils as cu
from tools.course_config import chapter_notebooks

CITED = re.compile(r"\(chapter (\d+)\)")


def first_use() -> dict[str, int]:
    """Helper name -> number of the first chapter whose code calls it (as cu.NAME)."""
    found: dict[str, int] = {}
    for path in chapter_notebooks():
        code = "\n".join(c.source for c in nbformat.read(path, as_version=4).cells if c.cell_type == "code")
        for name in set(re.findall(r"\bcu\.(\w+)\b", code)):
            found.setdefault(name, int(path.name[:2]))
    return found


HELPERS = sorted(name for name in cu.__all__ if callable(getattr(cu, name)) and CITED.search(
    (inspect.getdoc(getattr(cu, name)) or "").split("\n\n")[0]))


def test_some_helpers_cite_a_chapter():
    assert HELPERS


@pytest.mark.parametrize("name", HELPERS)
@pytest.mark.rule
def test_the_cited_chapter_is_where_the_helper_is_first_used(name):
    cited = int(CITED.search(inspect.getdoc(getattr(cu, name)).split("\n\n")[0])[1])
    used = first_use().get(name)
    assert used is not None, f"cu.{name} says (chapter {cited}) but no chapter calls it: drop the chapter from its docstring"
    assert cited == used, f"cu.{name} says (chapter {cited}) but chapter {used} is the first to call it"
