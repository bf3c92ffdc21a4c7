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

    def colab_url(self, notebook: str) -> str:
        """Colab address that opens ``notebook`` (path relative to the repository root)."""
        return f"https://colab.research.google.com/github/{self.owner}/{self.name}/blob/{self.branch}/{notebook}"

    def pip_url(self, branch: str | None = None) -> str:
        """pip requirement that installs course_utils from this repository at ``branch``."""
        return f"course_utils @ git+{self.url}@{branch or self.branch}"


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
    return Repository(url=url, branch=branch, owner=match[1], name=match[2])


def toc_files(toc_path: Path = TOC) -> list[str]:
    """Every file listed in _toc.yml, root first, without extension."""
    toc = yaml.safe_load(toc_path.read_text(encoding="utf-8"))
    files = [toc["root"]]
    for part in toc.get("parts", []):
        files += [chapter["file"] for chapter in part.get("chapters", [])]
    return files


def chapter_notebooks() -> list[Path]:
    """The chapter notebooks in book/, in chapter order."""
    return sorted(p for p in BOOK.glob("[0-9][0-9]_*.ipynb"))
