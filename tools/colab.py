"""Keep every chapter's Colab metadata and bootstrap cell in step with _config.yml.

    python tools/colab.py sync [--branch BRANCH]   # rewrite notebooks (make colab)
    python tools/colab.py check                    # exit 1 and list notebooks that disagree

``--branch`` points the bootstrap at another branch (for example an
instructor's ``student`` branch) without touching _config.yml.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import nbformat

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tools.course_config import Repository, chapter_notebooks, load_repository  # noqa: E402

BOOTSTRAP_TAG = "colab-bootstrap"
BOOTSTRAP_TAGS = [BOOTSTRAP_TAG, "remove-cell"]


def bootstrap_source(repo: Repository, branch: str | None = None) -> str:
    """Source of the first code cell: install course_utils in Colab only, once."""
    return (
        "# Colab only: install the course helpers (the data ships with them).\n"
        "# Anywhere else, or when they are already installed, this does nothing.\n"
        "import importlib.util, subprocess, sys\n"
        "\n"
        'if importlib.util.find_spec("google.colab") and not importlib.util.find_spec("course_utils"):\n'
        "    subprocess.run(\n"
        f'        [sys.executable, "-m", "pip", "install", "--quiet", "{repo.pip_url(branch)}"],\n'
        "        check=True,\n"
        "    )"
    )


def expected_metadata(path: Path) -> dict:
    """Notebook metadata that makes Colab open a GPU runtime and a Python 3 kernel."""
    return {
        "accelerator": "GPU",
        "colab": {"gpuType": "T4", "provenance": [], "name": path.name, "toc_visible": True},
        "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
    }


def _bootstrap_cell(nb: nbformat.NotebookNode):
    code = [c for c in nb.cells if c.cell_type == "code"]
    return code[0] if code and BOOTSTRAP_TAG in code[0].metadata.get("tags", []) else None


def problems(path: Path, repo: Repository, branch: str | None = None) -> list[str]:
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
    elif cell.source != bootstrap_source(repo, branch):
        found.append(f"{path.name}: bootstrap cell does not install from {repo.pip_url(branch)!r}")
    return found


def sync(path: Path, repo: Repository, branch: str | None = None) -> bool:
    """Rewrite metadata and the bootstrap cell of ``path``; True when the file changed."""
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
    cell.source = bootstrap_source(repo, branch)
    cell.metadata["tags"] = BOOTSTRAP_TAGS + [t for t in cell.metadata.get("tags", []) if t not in BOOTSTRAP_TAGS]
    after = nbformat.writes(nb)
    if after != before:
        nbformat.write(nb, path)
    return after != before


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("command", choices=["sync", "check"])
    parser.add_argument("--branch", help="branch the bootstrap installs from (default: _config.yml's)")
    parser.add_argument("notebooks", nargs="*", type=Path, help="default: every chapter in book/")
    args = parser.parse_args(argv)
    repo = load_repository()
    notebooks = args.notebooks or chapter_notebooks()
    if args.command == "sync":
        for path in notebooks:
            changed = sync(path, repo, args.branch)
            print(f"{'updated' if changed else 'in step'}: {path}")
        return 0
    found = [p for path in notebooks for p in problems(path, repo, args.branch)]
    print("\n".join(found) if found else f"{len(notebooks)} notebook(s) in step with _config.yml")
    return 1 if found else 0


if __name__ == "__main__":
    raise SystemExit(main())
