"""tools/colab.py: sync fixes a notebook, check catches disagreement, config is read once."""

from __future__ import annotations

import shutil
import textwrap

import nbformat
import pytest

from tools import colab
from tools.course_config import Repository, chapter_notebooks, load_repository


def test_config_names_a_github_repository_and_a_branch():
    repo = load_repository()
    assert repo.url == f"https://github.com/{repo.owner}/{repo.name}"
    assert repo.branch and repo.branch != "master"


@pytest.mark.parametrize(
    "yaml_text, fragment",
    [
        ("repository:\n  url: https://gitlab.com/a/b\n  branch: main\n", "github.com"),
        ("repository:\n  url: https://github.com/a/b\n", "branch"),
        ("title: x\n", "repository.url"),
    ],
)
def test_bad_config_is_refused(tmp_path, yaml_text, fragment):
    config = tmp_path / "_config.yml"
    config.write_text(yaml_text)
    with pytest.raises(ValueError, match=fragment):
        load_repository(config)


def test_sync_repairs_a_notebook_and_check_then_agrees(tmp_path):
    source = chapter_notebooks()[0]
    path = tmp_path / source.name
    shutil.copy(source, path)
    repo = load_repository()
    nb = nbformat.read(path, as_version=4)
    nb.metadata.pop("accelerator")
    first_code = next(c for c in nb.cells if c.cell_type == "code")
    first_code.source = first_code.source.replace(repo.url, "https://github.com/someone/else")
    nbformat.write(nb, path)

    found = colab.problems(path, repo)
    assert any("accelerator" in p for p in found) and any("bootstrap" in p for p in found)
    assert colab.sync(path, repo) is True
    assert colab.problems(path, repo) == []
    assert colab.sync(path, repo) is False  # idempotent


def test_branch_override_points_the_bootstrap_elsewhere(tmp_path):
    source = chapter_notebooks()[0]
    path = tmp_path / source.name
    shutil.copy(source, path)
    repo = load_repository()
    colab.sync(path, repo, branch="student")
    nb = nbformat.read(path, as_version=4)
    assert f"git+{repo.url}@student" in nb.cells[[c.cell_type for c in nb.cells].index("code")].source
    assert colab.problems(path, repo, branch="student") == []
    assert colab.problems(path, repo) != []


def test_a_fork_changes_one_line(tmp_path):
    fork = Repository(url="https://github.com/fork/course", branch="dev", owner="fork", name="course")
    source = colab.bootstrap_source(fork)
    assert "course_utils @ git+https://github.com/fork/course@dev" in source
    assert fork.colab_url("book/01_x.ipynb") == (
        "https://colab.research.google.com/github/fork/course/blob/dev/book/01_x.ipynb"
    )
