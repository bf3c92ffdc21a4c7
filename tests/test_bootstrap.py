"""The Colab bootstrap cell: a no-op outside Colab, one quiet install inside, and an install that really works."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
import venv
from pathlib import Path

import pytest

from tools import colab
from tools.course_config import ROOT, load_repository


def run_bootstrap(monkeypatch, *, in_colab: bool, installed: bool) -> list:
    """Execute the cell's source with Colab and the package faked; return the pip calls it made."""
    real_find_spec = importlib.util.find_spec

    def fake_find_spec(name, *args, **kwargs):
        if name == "google.colab":
            return object() if in_colab else None
        if name == "course_utils":
            return object() if installed else None
        return real_find_spec(name, *args, **kwargs)

    calls = []
    monkeypatch.setattr(importlib.util, "find_spec", fake_find_spec)
    monkeypatch.setattr(subprocess, "run", lambda cmd, **kw: calls.append((cmd, kw)))
    exec(colab.bootstrap_source(load_repository()), {})
    return calls


def test_outside_colab_it_does_nothing(monkeypatch):
    assert run_bootstrap(monkeypatch, in_colab=False, installed=False) == []


def test_in_colab_it_installs_once_from_the_configured_branch(monkeypatch):
    repo = load_repository()
    calls = run_bootstrap(monkeypatch, in_colab=True, installed=False)
    assert len(calls) == 1
    cmd, kwargs = calls[0]
    assert cmd[1:4] == ["-m", "pip", "install"] and "--quiet" in cmd
    assert cmd[-1] == f"course_utils @ git+{repo.url}@{repo.branch}"
    assert kwargs.get("check") is True


def test_running_it_again_is_harmless(monkeypatch):
    assert run_bootstrap(monkeypatch, in_colab=True, installed=True) == []


def _git(*args: str) -> str:
    return subprocess.run(["git", *args], cwd=ROOT, check=True, capture_output=True, text=True).stdout.strip()


@pytest.mark.skipif(not (ROOT / ".git").exists(), reason="needs a git checkout of the course")
def test_install_from_git_like_colab_does(tmp_path):
    """pip-install course_utils the way the cell does, from a local git+file:// URL, into a fresh venv."""
    repo = load_repository()
    ref = repo.branch
    if subprocess.run(["git", "rev-parse", "--verify", "--quiet", ref], cwd=ROOT, capture_output=True).returncode:
        ref = _git("rev-parse", "HEAD")  # a clone on another branch: test what is committed here
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True)
    python = env_dir / "bin" / "python"
    requirement = f"course_utils @ git+file://{ROOT}@{ref}"
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    # Colab's pip is recent; the pip bundled with an older Python misparses git+file URLs.
    subprocess.run([str(python), "-m", "pip", "install", "--quiet", "--upgrade", "pip"],
                   check=True, capture_output=True, env=env, timeout=300)
    install = subprocess.run(
        [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", requirement],
        capture_output=True, text=True, env=env, timeout=600,
    )
    assert install.returncode == 0, install.stderr[-2000:]
    probe = (
        "import course_utils, pathlib, sys\n"
        "s = course_utils.load_sunspots()\n"
        "assert 'site-packages' in course_utils.__file__, course_utils.__file__\n"
        "print(len(s), s.index[0].date(), s.index[-1].date())\n"
    )
    result = subprocess.run(
        [str(python), "-c", probe], capture_output=True, text=True, env=env, cwd=tmp_path, timeout=120
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.split() == ["2820", "1749-01-01", "1983-12-01"]
    # The loose dependencies must not have pulled TensorFlow in.
    freeze = subprocess.run([str(python), "-m", "pip", "freeze"], capture_output=True, text=True, env=env)
    assert "tensorflow" not in freeze.stdout.lower()
