"""tools.colab: sync fixes a notebook, check catches disagreement, config is read once."""

from __future__ import annotations

import shutil
import subprocess
import textwrap

import nbformat
import pytest

from tools import colab
from tools.course_config import ROOT, Repository, chapter_notebooks, load_repository

ROOT_STATIC = ROOT / "_static"


@pytest.fixture
def chapter_copy(tmp_path):
    """A scratch copy of the first chapter, for tests that damage and repair a notebook."""
    source = chapter_notebooks()[0]
    return shutil.copy(source, tmp_path / source.name)


def test_config_names_a_github_repository_and_a_branch():
    repo = load_repository()
    assert repo.url.startswith("https://github.com/") and repo.branch and repo.branch != "master"


def test_addresses_follow_from_the_configured_repository(tmp_path):
    """Known answers, written out by hand, not rebuilt from the values under test."""
    config = tmp_path / "_config.yml"
    config.write_text("repository:\n  url: https://github.com/alice/rnn-course\n  branch: term1\n")
    repo = load_repository(config)
    assert (repo.owner, repo.name, repo.branch) == ("alice", "rnn-course", "term1")
    assert repo.colab_url("book/01_x.ipynb") == (
        "https://colab.research.google.com/github/alice/rnn-course/blob/term1/book/01_x.ipynb")
    assert repo.pip_url() == "course_utils @ git+https://github.com/alice/rnn-course@term1"
    assert repo.pip_url("v2") == "course_utils @ git+https://github.com/alice/rnn-course@v2"


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


def test_sync_repairs_a_notebook_and_check_then_agrees(chapter_copy):
    path = chapter_copy
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


@pytest.mark.parametrize("ref", ["student", "v2026.1", "0123abcd"])
def test_ref_override_points_the_bootstrap_elsewhere(chapter_copy, ref):
    path = chapter_copy
    repo = load_repository()
    colab.sync(path, repo, ref)
    nb = nbformat.read(path, as_version=4)
    assert f"git+{repo.url}@{ref}" in nb.cells[[c.cell_type for c in nb.cells].index("code")].source
    assert colab.problems(path, repo, ref) == []
    assert colab.problems(path, repo) != []


def test_install_ref_in_config_pins_the_install_not_the_links(tmp_path):
    config = tmp_path / "_config.yml"
    config.write_text("repository:\n  url: https://github.com/a/b\n  branch: main\ncourse:\n  install_ref: v2026.1\n")
    repo = load_repository(config)
    assert repo.pip_url() == "course_utils @ git+https://github.com/a/b@v2026.1"
    assert repo.pip_url("student") == "course_utils @ git+https://github.com/a/b@student"
    assert "/blob/main/" in repo.colab_url("book/01_x.ipynb")  # the site's button and the badge stay on the branch
    config.write_text("repository:\n  url: https://github.com/a/b\n  branch: main\ncourse:\n  install_ref: 'v1; rm -rf'\n")
    with pytest.raises(ValueError, match="install_ref"):
        load_repository(config)


def test_make_colab_passes_ref_through(tmp_path):
    """`make colab REF=...` (and the older BRANCH=...) reach tools.colab as --ref."""
    for var in ("REF", "BRANCH"):
        dry = subprocess.run(["make", "-n", "colab", f"{var}=v9", "PY=python"], cwd=ROOT, capture_output=True, text=True)
        assert "-m tools.colab sync --ref v9" in dry.stdout, dry.stdout + dry.stderr


@pytest.mark.parametrize("path", chapter_notebooks(), ids=lambda p: p.name)
@pytest.mark.rule
def test_every_notebook_has_the_colab_badge_under_its_title(path):
    """The badge opens the same address as the site's launch button, from GitHub, nbviewer or a download."""
    repo = load_repository()
    first = next(c for c in nbformat.read(path, as_version=4).cells if c.cell_type == "markdown")
    lines = first.source.splitlines()
    assert lines[0].startswith("# ") and lines[2] == repo.badge_markdown(f"book/{path.name}")
    assert f"]({repo.colab_url(f'book/{path.name}')})" in lines[2]
    assert (ROOT_STATIC / "colab-badge.svg").exists()


def test_a_wrong_or_missing_badge_is_found_and_repaired(chapter_copy):
    path = chapter_copy
    repo = load_repository()
    nb = nbformat.read(path, as_version=4)
    first = next(c for c in nb.cells if c.cell_type == "markdown")
    first.source = first.source.replace("/blob/main/", "/blob/old/")
    nbformat.write(nb, path)
    assert any("badge" in p for p in colab.problems(path, repo))
    colab.sync(path, repo)
    assert colab.problems(path, repo) == []
    first.source = "\n".join(line for line in first.source.splitlines() if "Open in Colab" not in line)
    nbformat.write(nb, path)
    assert any("badge" in p for p in colab.problems(path, repo))
    colab.sync(path, repo)
    assert colab.problems(path, repo) == []
    repaired = next(c for c in nbformat.read(path, as_version=4).cells if c.cell_type == "markdown").source
    assert repaired.count("Open in Colab") == 1


def test_a_fork_changes_one_line(tmp_path):
    fork = Repository(url="https://github.com/fork/course", branch="dev", owner="fork", name="course")
    source = colab.bootstrap_source(fork)
    assert "course_utils @ git+https://github.com/fork/course@dev" in source
    assert fork.colab_url("book/01_x.ipynb") == (
        "https://colab.research.google.com/github/fork/course/blob/dev/book/01_x.ipynb"
    )
