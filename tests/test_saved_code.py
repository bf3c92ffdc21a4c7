"""The chapters' `#@save` cells are the one copy of each recipe: course_utils/recipes.py is generated from them,
later chapters and the benchmark call the generated copy, and nothing writes a saved recipe a second time."""

from __future__ import annotations

import ast
import re

import nbformat
import pytest

from tools import saved_code
from tools.course_config import chapter_notebooks


@pytest.mark.rule
def test_the_generated_module_is_in_step_with_the_chapters():
    assert saved_code.TARGET.read_text(encoding="utf-8") == saved_code.render(), "run `make saved`"
    assert saved_code.main(["check"]) == 0


def _notebook(tmp_path, name, *sources):
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(s) for s in sources])
    path = tmp_path / name
    nbformat.write(nb, path)
    return path


@pytest.mark.rule
def test_a_saved_cell_that_computes_is_refused(tmp_path):
    path = _notebook(tmp_path, "08_new.ipynb", "#@save\ndef f(x):\n    return x\n\n\nmodel = f(3)")
    with pytest.raises(saved_code.SavedCellError, match="line 5 is a Assign.*Move the computation"):
        saved_code.render([path])


@pytest.mark.rule
def test_a_name_saved_twice_is_refused(tmp_path):
    first = _notebook(tmp_path, "08_a.ipynb", "#@save\ndef fit(model):\n    return model")
    second = _notebook(tmp_path, "09_b.ipynb", "#@save\nLIMIT = 3\n\n\ndef fit(model):\n    return None")
    with pytest.raises(saved_code.SavedCellError, match="defines 'fit' again; 08_a already saves it"):
        saved_code.render([first, second])


def test_only_marked_cells_are_saved_and_the_mark_is_dropped(tmp_path):
    path = _notebook(tmp_path, "08_new.ipynb", "def local():\n    pass", "# @save is not the mark\nX = 1",
                     "#@save\nLIMIT = 3  # a constant")
    text = saved_code.render([path])
    assert "LIMIT = 3" in text and "def local" not in text and "X = 1" not in text
    assert text.count("#@save") == 1                           # in the header only: the mark line is dropped
    assert "'LIMIT': '08_new'" in text
    ast.parse(text)


@pytest.mark.rule
def test_a_saved_cell_may_use_only_what_the_generated_module_has(tmp_path):
    """A name the module's header does not import would pass in the chapter and fail when called from cu."""
    path = _notebook(tmp_path, "08_new.ipynb", "#@save\ndef table(rows):\n    return pd.DataFrame(rows)\n")
    with pytest.raises(saved_code.SavedCellError, match=r"cell 0 .* uses pd, which the generated module does not"):
        saved_code.render([path])
    fine = _notebook(tmp_path, "09_ok.ipynb", "#@save\ndef table(rows):\n    import pandas as pd\n\n"
                     "    return pd.DataFrame(rows), np.zeros(1), _helper()\n\n\ndef _helper():\n    return 1\n")
    saved_code.render([fine])


@pytest.mark.rule
def test_each_generated_block_names_the_cell_to_edit():
    text = saved_code.TARGET.read_text(encoding="utf-8")
    blocks = text.count(f"# {'-' * 60} ")
    assert blocks == len(re.findall(r"# Defined in book/\d\d_\w+\.ipynb, cell \d+ \(id [\w-]+\): edit it there", text))
    assert blocks == sum(len(saved_code.saved_cells(p)) for p in chapter_notebooks())


def _defined_functions(path) -> dict[str, int]:
    nb = nbformat.read(path, as_version=4)
    names = {}
    for index, cell in enumerate(nb.cells):
        if cell.cell_type == "code":
            for node in ast.walk(ast.parse(re.sub(r"^[%!].*$", "", cell.source, flags=re.M))):
                if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
                    names[node.name] = index
    return names


@pytest.mark.parametrize("path", chapter_notebooks(), ids=lambda p: p.stem)
@pytest.mark.rule
def test_no_chapter_writes_a_saved_recipe_again(path):
    """A chapter defines a saved name only where it saves it; every other chapter calls cu.NAME."""
    from course_utils.recipes import SAVED_FROM

    again = sorted(name for name in _defined_functions(path) if SAVED_FROM.get(name, path.stem) != path.stem)
    assert not again, f"{path.name} defines {again} again: call cu.NAME, saved by {[SAVED_FROM[n] for n in again]}"


def test_saved_recipes_are_reachable_as_cu_names():
    import course_utils as cu
    from course_utils import recipes

    assert recipes.SAVED_FROM and all(getattr(cu, name) is getattr(recipes, name) for name in recipes.SAVED_FROM)
    assert set(recipes.SAVED_FROM) <= set(dir(cu))
    with pytest.raises(AttributeError, match="no attribute 'no_such_recipe'"):
        cu.no_such_recipe
