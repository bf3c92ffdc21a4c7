"""Find the exercise cells of a chapter notebook: solutions and checks, by exercise id.

Cells carry ``metadata.course = {"role": "solution" | "check", "exercise": "1.2"}``;
check cells are also tagged ``exercise-check``. Solutions sit between
nbgrader's ``### BEGIN SOLUTION`` / ``### END SOLUTION`` markers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import nbformat

BEGIN_SOLUTION, END_SOLUTION = "### BEGIN SOLUTION", "### END SOLUTION"
BEGIN_HIDDEN, END_HIDDEN = "### BEGIN HIDDEN TESTS", "### END HIDDEN TESTS"
STUB = ("# YOUR CODE HERE", "raise NotImplementedError()")


@dataclass(frozen=True)
class Exercise:
    """One exercise of a chapter: its id and the canonical source of its check cell."""

    id: str
    check_source: str


def role(cell: nbformat.NotebookNode) -> tuple[str | None, str | None]:
    """(role, exercise id) of a cell, or (None, None) for ordinary cells."""
    info = cell.get("metadata", {}).get("course", {})
    return info.get("role"), info.get("exercise")


def exercises(nb: nbformat.NotebookNode) -> list[Exercise]:
    """Exercises in notebook order, from the check cells of an instructor notebook."""
    found = []
    for cell in nb.cells:
        kind, ident = role(cell)
        if kind == "check" and ident:
            found.append(Exercise(ident, cell.source))
    return found


def _replace_regions(source: str, begin: str, end: str, stub: tuple[str, ...] | None) -> str:
    """Replace every begin..end region (markers included) by ``stub`` at the markers' indentation."""
    pattern = re.compile(
        rf"^(?P<indent>[ \t]*){re.escape(begin)}[^\n]*\n.*?^[ \t]*{re.escape(end)}[^\n]*(\n|$)",
        re.MULTILINE | re.DOTALL,
    )

    def replacement(match: re.Match) -> str:
        if stub is None:
            return ""
        return "".join(f"{match['indent']}{line}\n" for line in stub)

    return pattern.sub(replacement, source).rstrip("\n")


def clear_solutions(source: str) -> str:
    """A solution cell's source with every solution region replaced by the stub."""
    return _replace_regions(source, BEGIN_SOLUTION, END_SOLUTION, STUB)


def remove_hidden_tests(source: str) -> str:
    """A cell's source without its hidden-test regions."""
    return _replace_regions(source, BEGIN_HIDDEN, END_HIDDEN, None)


def solution_lines(source: str) -> list[str]:
    """The non-blank lines inside the solution regions of ``source``, stripped."""
    lines, inside = [], False
    for line in source.splitlines():
        if BEGIN_SOLUTION in line:
            inside = True
        elif END_SOLUTION in line:
            inside = False
        elif inside and line.strip():
            lines.append(line.strip())
    return lines
