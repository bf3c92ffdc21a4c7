"""make student: stubs in place of solutions, nothing leaks, and only the stubs fail."""

from __future__ import annotations

import re

import nbformat
import pytest
from nbclient import NotebookClient

from tools import colab, student
from tools.course_config import chapter_notebooks, load_repository
from tools.exercise_cells import STUB, clear_solutions, remove_hidden_tests, role, solution_lines

CHAPTERS = chapter_notebooks()


@pytest.fixture(scope="module")
def edition(tmp_path_factory):
    out = tmp_path_factory.mktemp("student")
    return {p.name: p for p in student.write_student_edition(out)}


def test_clear_solutions_keeps_indentation_and_signature():
    source = "def f(x):\n    ### BEGIN SOLUTION\n    return 2 * x\n    ### END SOLUTION\n"
    assert clear_solutions(source) == "def f(x):\n    # YOUR CODE HERE\n    raise NotImplementedError()"


def test_hidden_tests_are_removed():
    source = "check(f)\n### BEGIN HIDDEN TESTS\nassert f(2) == 4\n### END HIDDEN TESTS\n"
    assert remove_hidden_tests(source) == "check(f)"


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.name)
@pytest.mark.rule
def test_every_chapter_has_at_least_three_exercises_in_the_format(path):
    nb = nbformat.read(path, as_version=4)
    markdown = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    assert re.search(r"^## Exercises$", markdown, flags=re.MULTILINE), "no '## Exercises' section"
    checks = [role(c)[1] for c in nb.cells if role(c)[0] == "check"]
    solutions = [role(c)[1] for c in nb.cells if role(c)[0] == "solution"]
    assert len(checks) >= 3 and checks == solutions, "each exercise needs one solution and one check cell"
    for cell in nb.cells:
        kind, ident = role(cell)
        if kind == "solution":
            assert "### BEGIN SOLUTION" in cell.source and "hide-input" in cell.metadata.get("tags", [])
        if kind == "check":
            assert "exercise-check" in cell.metadata.get("tags", [])
    prompts = re.findall(r"^### Exercise ([\d.]+)[^\n]*\n+(.*)$", markdown, flags=re.MULTILINE)
    assert [ident for ident, _ in prompts] == checks
    for ident, first_line in prompts:
        assert first_line.startswith("*") and not first_line.startswith("**"), (
            f"exercise {ident}: the prompt must start with the task in italics"
        )


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.name)
def test_no_solution_line_leaks(edition, path):
    source_nb = nbformat.read(path, as_version=4)
    student_nb = nbformat.read(edition[path.name], as_version=4)
    secret = {line for cell in source_nb.cells for line in solution_lines(cell.source)}
    # Lines the chapter also shows outside any solution (its teaching code) are not secrets.
    public = {line.strip() for cell in source_nb.cells if "BEGIN SOLUTION" not in cell.source
              for line in cell.source.splitlines()}
    secret -= public
    student_lines = {line.strip() for cell in student_nb.cells for line in cell.source.splitlines()}
    assert secret, "the chapter has no solution lines to hide"
    assert not secret & student_lines, f"solution lines in the student edition: {secret & student_lines}"
    text = nbformat.writes(student_nb)
    assert "BEGIN SOLUTION" not in text and "HIDDEN TESTS" not in text


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.name)
def test_outputs_cleared_and_colab_kept(edition, path):
    nb = nbformat.read(edition[path.name], as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None
        if role(cell)[0] == "solution":
            assert STUB[1] in cell.source and "hide-input" not in cell.metadata.get("tags", [])
    assert colab.problems(edition[path.name], load_repository()) == []


def _run(nb: nbformat.NotebookNode, path) -> list[tuple]:
    """Execute ``nb`` as a learner would (from the chapter's folder); the (role, error name) of every failing cell."""
    NotebookClient(nb, timeout=600, kernel_name="python3", allow_errors=True,
                   resources={"metadata": {"path": str(path.parent)}}).execute()
    return [(role(cell), out.ename) for cell in nb.cells for out in cell.get("outputs", [])
            if out.output_type == "error" and "raises-exception" not in cell.metadata.get("tags", [])]


def _exercise_section(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """The cells from the exercises' setup cell on: what a grader runs, on its own."""
    start = next(i for i, cell in enumerate(nb.cells) if role(cell)[0] == "setup")
    section = nbformat.v4.new_notebook(metadata=nb.metadata)
    section.cells = nb.cells[start:]
    return section


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.name)
def test_student_edition_runs_the_chapters_own_code_above_the_exercises(edition, path):
    """Above the exercises the edition's code is the chapter's, cell for cell: nbval's run of the chapter covers it."""
    def body(nb):
        start = next(i for i, cell in enumerate(nb.cells) if role(cell)[0] == "setup")
        return [cell.source for cell in nb.cells[:start] if cell.cell_type == "code"]

    assert body(nbformat.read(edition[path.name], as_version=4)) == body(nbformat.read(path, as_version=4))


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.name)
def test_student_exercises_fail_only_at_the_stubs(edition, path):
    """Each chapter's exercise section, run on its own from the edition: every check says "not attempted"."""
    nb = _exercise_section(nbformat.read(edition[path.name], as_version=4))
    checks = [role(c) for c in nb.cells if role(c)[0] == "check"]
    assert checks and _run(nb, path) == [(c, "ExerciseNotAttempted") for c in checks]


def test_a_whole_student_chapter_fails_only_at_the_stubs(edition):
    """End to end, on the quickest chapter: the edition runs top to bottom and only the stubs fail."""
    path = CHAPTERS[0]
    nb = nbformat.read(edition[path.name], as_version=4)
    checks = [role(c) for c in nb.cells if role(c)[0] == "check"]
    assert _run(nb, path) == [(c, "ExerciseNotAttempted") for c in checks]
