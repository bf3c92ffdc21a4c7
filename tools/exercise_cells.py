"""Find the exercise cells of a chapter notebook: setup, solutions and checks, by exercise id.

Cells carry ``metadata.course = {"role": "solution" | "check", "exercise": "1.2"}``;
the one cell that opens the exercise section carries ``{"role": "setup"}``: the
imports every solution may use, so the section runs on its own, without the
chapter's training. Check cells are also tagged ``exercise-check`` and call one
check on one learner function: ``ch05.check_lstm_step(lstm_step)``. Solutions
sit between nbgrader's ``### BEGIN SOLUTION`` / ``### END SOLUTION`` markers.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass

import nbformat

BEGIN_SOLUTION, END_SOLUTION = "### BEGIN SOLUTION", "### END SOLUTION"
BEGIN_HIDDEN, END_HIDDEN = "### BEGIN HIDDEN TESTS", "### END HIDDEN TESTS"
STUB = ("# YOUR CODE HERE", "raise NotImplementedError()")


CHECKS_PACKAGE = "course_utils.exercises"


@dataclass(frozen=True)
class Exercise:
    """One exercise of a chapter: its id, and what its check cell calls."""

    id: str
    module: str  # the check module, e.g. "ch05"
    check: str  # the check function, e.g. "check_lstm_step"
    function: str  # the learner's function it checks, e.g. "lstm_step"


def role(cell: nbformat.NotebookNode) -> tuple[str | None, str | None]:
    """(role, exercise id) of a cell, or (None, None) for ordinary cells."""
    info = cell.get("metadata", {}).get("course", {})
    return info.get("role"), info.get("exercise")


def _check_call(source: str, aliases: dict[str, str], ident: str) -> tuple[str, str, str]:
    """(module, check, function) of a check cell ``chNN.check_x(function)``; records the cell's imports in ``aliases``."""
    tree = ast.parse(source)
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module == CHECKS_PACKAGE:
            for alias in node.names:
                aliases[alias.asname or alias.name] = alias.name
    calls = [
        node.value for node in tree.body
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Call)
        and isinstance(node.value.func, ast.Attribute) and isinstance(node.value.func.value, ast.Name)
        and node.value.func.value.id in aliases and len(node.value.args) == 1
        and isinstance(node.value.args[0], ast.Name) and not node.value.keywords
    ]
    if len(calls) != 1:
        raise ValueError(f"check cell of exercise {ident} must call one check on one function, like ch05.check_x(f)")
    call = calls[0]
    return aliases[call.func.value.id], call.func.attr, call.args[0].id


def exercises(nb: nbformat.NotebookNode) -> list[Exercise]:
    """Exercises in notebook order, from the check cells of an instructor notebook."""
    found, aliases = [], {}
    for cell in nb.cells:
        kind, ident = role(cell)
        if kind == "check" and ident:
            found.append(Exercise(ident, *_check_call(cell.source, aliases, ident)))
    return found


def setup_source(nb: nbformat.NotebookNode) -> str:
    """The source of the exercise section's setup cell (the imports its solutions may use)."""
    cells = [cell.source for cell in nb.cells if role(cell)[0] == "setup"]
    if len(cells) != 1:
        raise ValueError(f"expected one exercise setup cell, found {len(cells)}")
    return cells[0]


def solution_sources(nb: nbformat.NotebookNode) -> dict[str, str]:
    """Exercise id -> the source of its solution cell(s), in notebook order (code cells only)."""
    found: dict[str, list[str]] = {}
    for cell in nb.cells:
        kind, ident = role(cell)
        if kind == "solution" and ident and cell.cell_type == "code":
            found.setdefault(str(ident), []).append(cell.source)
    return {ident: "\n\n".join(sources) for ident, sources in found.items()}


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


#: nbgrader's cell-metadata schema the chapters follow (nbgrader 0.9).
NBGRADER_SCHEMA = 3


def nbgrader_grade_id(kind: str, ident: str | None) -> str:
    """nbgrader's id for a cell: letters, digits, '_' and '-' only, e.g. ex5_2_check."""
    return "exercises_setup" if kind == "setup" else f"ex{str(ident).replace('.', '_')}_{kind}"


def nbgrader_metadata(cell: nbformat.NotebookNode) -> dict | None:
    """The ``nbgrader`` cell metadata an exercise cell needs, from its course role (None for other cells).

    Solution cells are editable; checks are locked and worth one point each; the
    setup cell is locked, so the graded section always starts from the same imports.
    """
    kind, ident = role(cell)
    if kind not in ("solution", "check", "setup") or cell.cell_type != "code":
        return None
    meta = {"grade": kind == "check", "grade_id": nbgrader_grade_id(kind, ident), "locked": kind != "solution",
            "schema_version": NBGRADER_SCHEMA, "solution": kind == "solution", "task": False}
    if kind == "check":
        meta["points"] = 1
    return meta
