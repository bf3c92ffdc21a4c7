"""Read the repository location from _config.yml, the one place it lives.

Everything that needs the repository URL or branch (Colab links, notebook
bootstrap cells, tests) derives it from here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
CONFIG = ROOT / "_config.yml"
TOC = ROOT / "_toc.yml"
BOOK = ROOT / "book"


@dataclass(frozen=True)
class Repository:
    """GitHub repository of the course as configured in _config.yml."""

    url: str
    branch: str
    owner: str
    name: str
    #: git ref (branch, tag or commit) the Colab bootstrap installs course_utils from;
    #: empty means ``branch``. Pins a term's installs without moving the notebooks.
    install_ref: str = ""

    def colab_url(self, notebook: str) -> str:
        """Colab address that opens ``notebook`` (path relative to the repository root)."""
        return f"https://colab.research.google.com/github/{self.owner}/{self.name}/blob/{self.branch}/{notebook}"

    def badge_markdown(self, notebook: str) -> str:
        """Markdown "Open in Colab" badge for ``notebook``: the same address as the site's launch button.

        The image is the site's own SVG (relative to book/), so the website stays
        offline; where an image cannot load, its text still opens Colab.
        """
        return f"[![Open in Colab](../_static/colab-badge.svg)]({self.colab_url(notebook)})"

    def pip_url(self, ref: str | None = None) -> str:
        """pip requirement that installs course_utils from this repository at ``ref``.

        ``ref`` overrides the configured ``install_ref``, which defaults to ``branch``.
        """
        return f"course_utils @ git+{self.url}@{ref or self.install_ref or self.branch}"


def load_repository(config_path: Path = CONFIG) -> Repository:
    """Parse repository.url and repository.branch, refusing a missing or non-GitHub entry."""
    config = yaml.safe_load(config_path.read_text(encoding="utf-8"))
    repo = config.get("repository") or {}
    url = str(repo.get("url", "")).rstrip("/")
    branch = str(repo.get("branch", "")).strip()
    match = re.fullmatch(r"https://github\.com/([\w.-]+)/([\w.-]+?)(?:\.git)?", url)
    if not match:
        raise ValueError(f"{config_path.name}: repository.url must be https://github.com/OWNER/REPO, got {url!r}")
    if not branch:
        raise ValueError(f"{config_path.name}: repository.branch must be set (Jupyter Book defaults to 'master')")
    install_ref = str((config.get("course") or {}).get("install_ref") or "").strip()
    if install_ref and not re.fullmatch(r"[\w][\w./-]*", install_ref):
        raise ValueError(
            f"{config_path.name}: course.install_ref must be a git branch, tag or commit, got {install_ref!r}"
        )
    return Repository(url=url, branch=branch, owner=match[1], name=match[2], install_ref=install_ref)


def toc_files(toc_path: Path = TOC) -> list[str]:
    """Every file listed in _toc.yml, root first, without extension."""
    toc = yaml.safe_load(toc_path.read_text(encoding="utf-8"))
    files = [toc["root"]]
    for part in toc.get("parts", []):
        files += [chapter["file"] for chapter in part.get("chapters", [])]
    return files


#: A chapter is a notebook whose name starts with its two-digit number: book/05_lstm.ipynb is chapter 5.
CHAPTER_NAME = re.compile(r"(\d\d)_[^/]+")


def chapter_notebooks(toc_path: Path = TOC) -> list[Path]:
    """The chapter notebooks, in the order _toc.yml lists them: each entry that is a notebook named NN_*.

    The table of contents is the one list of chapters; every tool (Colab, student edition, grading,
    benchmark, tests) takes its chapters from here.
    """
    root = toc_path.resolve().parent
    return [root / f"{entry}.ipynb" for entry in toc_files(toc_path)
            if CHAPTER_NAME.fullmatch(Path(entry).name) and (root / f"{entry}.ipynb").is_file()]


COLAB_RUNTIME = ROOT / "colab-runtime.txt"


@dataclass(frozen=True)
class ColabRuntime:
    """Colab's runtime as recorded in colab-runtime.txt: where the versions come from, and the versions."""

    source: str
    recorded: str
    python: str
    pins: dict[str, str]


def load_colab_runtime(path: Path = COLAB_RUNTIME) -> ColabRuntime:
    """Parse the ``# source:``, ``# recorded:``, ``# python:`` lines and the ``name==version`` pins."""
    header: dict[str, str] = {}
    pins: dict[str, str] = {}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = line.strip()
        if match := re.fullmatch(r"#\s*(source|recorded|python):\s*(.+)", line):
            header[match[1]] = match[2].strip()
        elif line and not line.startswith("#"):
            match = re.fullmatch(r"([A-Za-z0-9][A-Za-z0-9._-]*)==([0-9][0-9A-Za-z.+-]*)", line)
            if not match:
                raise ValueError(f"{path.name} line {number}: expected name==version, got {line!r}")
            pins[re.sub(r"[-_.]+", "-", match[1]).lower()] = match[2]  # PEP 503 normalized name
    missing = [key for key in ("source", "recorded", "python") if key not in header]
    if missing:
        raise ValueError(f"{path.name}: missing header line(s) {', '.join(f'# {k}: ...' for k in missing)}")
    if not re.fullmatch(r"3\.\d+", header["python"]):
        raise ValueError(f"{path.name}: '# python:' must be a version like 3.13, got {header['python']!r}")
    return ColabRuntime(source=header["source"], recorded=header["recorded"], python=header["python"], pins=pins)
