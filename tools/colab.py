"""Keep every chapter's Colab metadata, bootstrap cell and nbgrader metadata in step with the course's configuration.

    python -m tools.colab sync [--ref REF]   # rewrite notebooks (make colab)
    python -m tools.colab check              # exit 1 and list notebooks that disagree

Each notebook gets Colab's metadata (a T4 GPU runtime), an "Open in Colab" badge
under its title (the same address as the site's launch button) and a first code
cell that installs course_utils in Colab. The install follows ``course.install_ref``
in _config.yml (a tag or commit pins a term), else ``repository.branch``;
``--ref`` (alias ``--branch``) overrides both without touching _config.yml, for
example for an instructor's ``student`` branch. Exercise cells get nbgrader's
metadata from their course roles (``tools.exercise_cells.nbgrader_metadata``), so real
nbgrader accepts the chapters as they are.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

import nbformat


from tools.course_config import Repository, chapter_notebooks, load_repository
from tools.exercise_cells import nbgrader_metadata

BOOTSTRAP_TAG = "colab-bootstrap"
BOOTSTRAP_TAGS = [BOOTSTRAP_TAG, "remove-cell"]


NO_TENSORFLOW_IN_COLAB = (
    "This Colab runtime has no TensorFlow (Colab's TPU runtimes do not include it): "
    "choose Runtime > Change runtime type > T4 GPU (or CPU), then Runtime > Run all."
)
NO_TENSORFLOW_ELSEWHERE = (
    "TensorFlow is not installed in this Python: run `make book` in the course's folder "
    "and use the kernel of its .venv, or open this chapter in Colab."
)
PIP_FAILED = "pip could not install the course helpers from {requirement!r}: pip's own message is printed above."


def bootstrap_source(repo: Repository, ref: str | None = None) -> str:
    """Source of the first code cell: install course_utils in Colab only, once; then make sure of TensorFlow.

    Colab is detected by ``"google.colab" in sys.modules`` (its kernel imports it at
    start-up); ``importlib.util.find_spec("google.colab")`` raises where no
    ``google`` package exists. A problem is reported in one sentence, without a
    traceback (IPython prints only what ``_render_traceback_`` returns).
    """
    requirement = repo.pip_url(ref)
    return (
        "# Colab only: install the course helpers (the data ships with them).\n"
        "# Anywhere else, or when they are already installed, this only checks for TensorFlow.\n"
        "import importlib.util, subprocess, sys\n"
        "\n"
        "class CourseSetupError(Exception):\n"
        "    def _render_traceback_(self):  # IPython shows this sentence instead of a traceback\n"
        "        return [f\"CourseSetupError: {self}\"]\n"
        "\n"
        "IN_COLAB = \"google.colab\" in sys.modules\n"
        "if IN_COLAB and importlib.util.find_spec(\"course_utils\") is None:\n"
        f"    requirement = {requirement!r}\n"
        "    pip = subprocess.run([sys.executable, \"-m\", \"pip\", \"install\", \"--quiet\", requirement],\n"
        "                         capture_output=True, text=True)\n"
        "    if pip.returncode != 0:\n"
        "        print(pip.stdout + pip.stderr, file=sys.stderr)\n"
        f"        raise CourseSetupError({PIP_FAILED!r}.format(requirement=requirement))\n"
        "if importlib.util.find_spec(\"tensorflow\") is None:\n"
        f"    raise CourseSetupError({NO_TENSORFLOW_IN_COLAB!r} if IN_COLAB else {NO_TENSORFLOW_ELSEWHERE!r})"
    )


def expected_metadata(path: Path) -> dict:
    """Notebook metadata that makes Colab open a GPU runtime and a Python 3 kernel."""
    return {
        "accelerator": "GPU",
        "colab": {"gpuType": "T4", "provenance": [], "name": path.name, "toc_visible": True},
        "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
    }


BADGE_LINE = re.compile(r"^\[!\[Open in Colab\]\([^)]*\)\]\([^)]*\)$", re.MULTILINE)


def _notebook_path(path: Path) -> str:
    """The notebook's path in the repository (book/NN_name.ipynb), as Colab's address needs it."""
    return f"book/{path.name}"


def _with_badge(markdown: str, badge: str) -> str:
    """``markdown`` with its Colab badge line set to ``badge``, placed right under the title line."""
    if BADGE_LINE.search(markdown):
        return BADGE_LINE.sub(lambda _: badge, markdown, count=1)
    title, _, rest = markdown.partition("\n")
    return f"{title}\n\n{badge}\n\n{rest.lstrip()}".rstrip()


def _first_markdown(nb: nbformat.NotebookNode):
    return next((c for c in nb.cells if c.cell_type == "markdown"), None)


def _bootstrap_cell(nb: nbformat.NotebookNode):
    code = [c for c in nb.cells if c.cell_type == "code"]
    return code[0] if code and BOOTSTRAP_TAG in code[0].metadata.get("tags", []) else None


def problems(path: Path, repo: Repository, ref: str | None = None) -> list[str]:
    """Every way ``path`` disagrees with the configuration (empty when in step)."""
    nb = nbformat.read(path, as_version=4)
    found = []
    for key, value in expected_metadata(path).items():
        current = nb.metadata.get(key)
        if key == "colab" and isinstance(current, dict):
            current = {k: current.get(k) for k in value}
        if current != value:
            found.append(f"{path.name}: metadata.{key} is {current!r}, expected {value!r}")
    cell = _bootstrap_cell(nb)
    if cell is None:
        found.append(f"{path.name}: first code cell is not tagged '{BOOTSTRAP_TAG}'")
    elif cell.source != bootstrap_source(repo, ref):
        found.append(f"{path.name}: bootstrap cell is not the one that installs from {repo.pip_url(ref)!r}")
    first = _first_markdown(nb)
    badge = repo.badge_markdown(_notebook_path(path))
    badges = BADGE_LINE.findall(first.source) if first is not None else []
    if badges != [badge]:
        found.append(f"{path.name}: the first Markdown cell's Colab badge is {badges!r}, expected [{badge!r}]")
    for index, cell in enumerate(nb.cells):
        if cell.metadata.get("nbgrader") != nbgrader_metadata(cell):
            found.append(f"{path.name}: cell {index} has nbgrader metadata {cell.metadata.get('nbgrader')!r}, "
                         f"expected {nbgrader_metadata(cell)!r}")
    return found


def sync(path: Path, repo: Repository, ref: str | None = None) -> bool:
    """Rewrite metadata, the Colab badge and the bootstrap cell of ``path``; True when the file changed."""
    nb = nbformat.read(path, as_version=4)
    before = nbformat.writes(nb)
    for key, value in expected_metadata(path).items():
        if key == "colab":
            nb.metadata.setdefault("colab", {}).update(value)
        else:
            nb.metadata[key] = value
    cell = _bootstrap_cell(nb)
    if cell is None:
        cell = nbformat.v4.new_code_cell(execution_count=1)
        first_code = next((i for i, c in enumerate(nb.cells) if c.cell_type == "code"), len(nb.cells))
        nb.cells.insert(first_code, cell)
    cell.source = bootstrap_source(repo, ref)
    cell.metadata["tags"] = BOOTSTRAP_TAGS + [t for t in cell.metadata.get("tags", []) if t not in BOOTSTRAP_TAGS]
    first = _first_markdown(nb)
    if first is not None:
        first.source = _with_badge(first.source, repo.badge_markdown(_notebook_path(path)))
    for cell in nb.cells:  # nbgrader's metadata follows the course's own exercise roles
        expected = nbgrader_metadata(cell)
        if expected is None:
            cell.metadata.pop("nbgrader", None)
        else:
            cell.metadata["nbgrader"] = expected
    after = nbformat.writes(nb)
    if after != before:
        nbformat.write(nb, path)
    return after != before


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("command", choices=["sync", "check"])
    parser.add_argument("--ref", "--branch", dest="ref",
                        help="git branch, tag or commit the bootstrap installs from "
                             "(default: _config.yml's course.install_ref, else repository.branch)")
    parser.add_argument("notebooks", nargs="*", type=Path, help="default: every chapter in book/")
    args = parser.parse_args(argv)
    repo = load_repository()
    notebooks = args.notebooks or chapter_notebooks()
    if args.command == "sync":
        for path in notebooks:
            changed = sync(path, repo, args.ref)
            print(f"{'updated' if changed else 'in step'}: {path}")
        return 0
    found = [p for path in notebooks for p in problems(path, repo, args.ref)]
    print("\n".join(found) if found else f"{len(notebooks)} notebook(s) in step with _config.yml")
    return 1 if found else 0


if __name__ == "__main__":
    raise SystemExit(main())
