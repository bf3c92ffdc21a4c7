"""The Colab bootstrap cell, and the package it installs: built, installed and used as a learner gets it."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
import tarfile
import types
import venv
import zipfile
from pathlib import Path

import nbformat
import pytest

from tools import colab
from tools.course_config import ROOT, Repository, chapter_notebooks, load_repository
from tools.exercise_cells import role as exercise_role
from tools.exercise_cells import setup_source


class _Pip:
    """Stands in for subprocess.run: records each pip call and answers like pip would."""

    def __init__(self, returncode: int = 0, stderr: str = ""):
        self.calls, self.returncode, self.stderr = [], returncode, stderr

    def __call__(self, cmd, **kwargs):
        self.calls.append((cmd, kwargs))
        return subprocess.CompletedProcess(cmd, self.returncode, stdout="", stderr=self.stderr)


def run_bootstrap(monkeypatch, *, in_colab: bool, installed: bool, tensorflow: bool = True,
                  pip: _Pip | None = None, ref: str | None = None) -> list:
    """Execute the cell's source with Colab, the package and TensorFlow faked; return the pip calls it made."""
    real_find_spec = importlib.util.find_spec

    def fake_find_spec(name, *args, **kwargs):
        if name == "course_utils":
            return object() if installed else None
        if name == "tensorflow":
            return object() if tensorflow else None
        return real_find_spec(name, *args, **kwargs)

    pip = pip or _Pip()
    if in_colab:
        monkeypatch.setitem(sys.modules, "google.colab", types.ModuleType("google.colab"))
    else:
        monkeypatch.delitem(sys.modules, "google.colab", raising=False)
    monkeypatch.setattr(importlib.util, "find_spec", fake_find_spec)
    monkeypatch.setattr(subprocess, "run", pip)
    exec(colab.bootstrap_source(load_repository(), ref), {})
    return pip.calls


def test_outside_colab_it_does_nothing(monkeypatch):
    assert run_bootstrap(monkeypatch, in_colab=False, installed=False) == []


def test_colab_is_detected_without_find_spec(monkeypatch):
    """find_spec("google.colab") raises ModuleNotFoundError where no google package exists."""
    source = colab.bootstrap_source(load_repository())
    assert '"google.colab" in sys.modules' in source
    assert 'find_spec("google.colab")' not in source


def test_in_colab_it_installs_once_from_the_configured_ref(monkeypatch):
    repo = load_repository()
    calls = run_bootstrap(monkeypatch, in_colab=True, installed=False)
    assert len(calls) == 1
    cmd, kwargs = calls[0]
    assert cmd[1:4] == ["-m", "pip", "install"] and "--quiet" in cmd
    assert "-U" not in cmd and "--upgrade" not in cmd, "an upgrade could replace Colab's own packages"
    assert cmd[-1] == f"course_utils @ git+{repo.url}@{repo.install_ref or repo.branch}"
    assert kwargs.get("capture_output") is True


def test_a_pinned_ref_is_what_colab_installs(monkeypatch):
    calls = run_bootstrap(monkeypatch, in_colab=True, installed=False, ref="v2026.1")
    assert calls[0][0][-1].endswith("@v2026.1")


def test_running_it_again_is_harmless(monkeypatch):
    assert run_bootstrap(monkeypatch, in_colab=True, installed=True) == []


def test_a_failed_install_shows_pips_own_error(monkeypatch, capsys):
    pip = _Pip(returncode=1, stderr="ERROR: Could not find a version that satisfies the requirement tensorflow==99")
    with pytest.raises(Exception) as raised:
        run_bootstrap(monkeypatch, in_colab=True, installed=False, pip=pip)
    assert type(raised.value).__name__ == "CourseSetupError", "not a bare CalledProcessError"
    assert "Could not find a version" in capsys.readouterr().err, "pip's own message must be shown"
    assert "pip could not install the course helpers" in str(raised.value)


@pytest.mark.parametrize("in_colab, expected", [(True, colab.NO_TENSORFLOW_IN_COLAB),
                                                (False, colab.NO_TENSORFLOW_ELSEWHERE)])
def test_no_tensorflow_gets_one_sentence_saying_what_to_switch(monkeypatch, in_colab, expected):
    with pytest.raises(Exception) as raised:
        run_bootstrap(monkeypatch, in_colab=in_colab, installed=True, tensorflow=False)
    assert str(raised.value) == expected
    assert ("T4 GPU" in expected) if in_colab else ("make book" in expected)


def test_ipython_shows_the_sentence_not_a_traceback(monkeypatch):
    """Run the cell in a real IPython shell, as a learner's notebook does, on a runtime without TensorFlow."""
    from IPython.core.interactiveshell import InteractiveShell
    from IPython.utils.capture import capture_output

    real_find_spec = importlib.util.find_spec
    monkeypatch.setitem(sys.modules, "google.colab", types.ModuleType("google.colab"))
    monkeypatch.setattr(importlib.util, "find_spec",
                        lambda name, *a, **k: None if name == "tensorflow" else real_find_spec(name, *a, **k))
    shell = InteractiveShell.instance()
    try:
        with capture_output() as captured:
            result = shell.run_cell(colab.bootstrap_source(load_repository()))
    finally:
        InteractiveShell.clear_instance()
    assert result.error_in_exec is not None, "the cell must stop a Run all"
    shown = captured.stdout + captured.stderr
    assert colab.NO_TENSORFLOW_IN_COLAB in shown
    assert "Traceback" not in shown and "File " not in shown, shown


def _git(*args: str, cwd: Path = ROOT) -> str:
    return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, text=True).stdout.strip()


def _committed_ref() -> str:
    """The configured install ref if this checkout has it, else HEAD: what is committed is what Colab gets."""
    repo = load_repository()
    ref = repo.install_ref or repo.branch
    if subprocess.run(["git", "rev-parse", "--verify", "--quiet", ref], cwd=ROOT, capture_output=True).returncode:
        ref = _git("rev-parse", "HEAD")
    return ref


def _clean_env() -> dict:
    return {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME")}


def _package_files(root: Path) -> set[str]:
    """Every committed file of course_utils (modules and data), relative to the repository root."""
    return {f for f in _git("ls-files", "course_utils", cwd=root).splitlines() if "__pycache__" not in f}


needs_git = pytest.mark.skipif(not (ROOT / ".git").exists(), reason="needs a git checkout of the course")


@needs_git
def test_built_wheel_and_sdist_hold_the_whole_package(tmp_path):
    """Build from a clean clone of what is committed; every module and data file must ship."""
    source = tmp_path / "src"
    _git("clone", "--quiet", str(ROOT), str(source), cwd=tmp_path)
    _git("checkout", "--quiet", _committed_ref(), cwd=source)
    build = subprocess.run([sys.executable, "-m", "build", "--wheel", "--sdist", "--outdir", str(tmp_path / "dist"),
                            str(source)], capture_output=True, text=True, env=_clean_env(), timeout=600)
    assert build.returncode == 0, build.stdout[-2000:] + build.stderr[-2000:]
    expected = _package_files(source)
    assert {"course_utils/exercises/ch01.py", "course_utils/data/monthly-sunspots.csv"} <= expected
    (wheel,) = (tmp_path / "dist").glob("*.whl")
    (sdist,) = (tmp_path / "dist").glob("*.tar.gz")
    with zipfile.ZipFile(wheel) as archive:
        missing = expected - set(archive.namelist())
    assert not missing, f"the wheel lacks {sorted(missing)}: pyproject.toml must find every subpackage and data file"
    with tarfile.open(sdist) as archive:
        names = {name.split("/", 1)[1] for name in archive.getnames() if "/" in name}
    missing = expected - names
    assert not missing, f"the sdist lacks {sorted(missing)}"


def _first_exercise_script(path: Path) -> str:
    """What a learner's notebook amounts to for the chapter's first exercise: the section's setup cell,
    the reference solution, then its check (the exercise section runs on its own, without the chapter)."""
    nb = nbformat.read(path, as_version=4)
    first = next(ident for cell in nb.cells for kind, ident in [exercise_role(cell)] if kind == "check")
    cells = [c.source for c in nb.cells if exercise_role(c)[1] == first and exercise_role(c)[0] in ("solution", "check")]
    return "\n\n".join([setup_source(nb), *cells]) + "\n"


@needs_git
def test_install_from_git_like_colab_does(tmp_path):
    """Colab's runtime in a clean venv, then the bootstrap cell itself, then what a learner runs.

    The venv gets exactly Colab's preinstalled packages (colab-runtime.txt); the
    notebook's own bootstrap cell, with Colab faked, installs course_utils from a
    git+file:// URL of this checkout, non-editably. From a folder outside the
    checkout, every module of the package and every check module must import,
    and each chapter's first exercise check must pass on its reference solution.
    """
    ref = _committed_ref()
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True)
    python = str(env_dir / "bin" / "python")
    env = _clean_env()

    def pip(*args: str, timeout: int = 900) -> str:
        done = subprocess.run([python, "-m", "pip", *args, "--disable-pip-version-check"],
                              capture_output=True, text=True, env=env, timeout=timeout)
        assert done.returncode == 0, done.stderr[-3000:]
        return done.stdout

    pip("install", "--quiet", "--upgrade", "pip")  # Colab's pip is recent; an old one misparses git+file URLs
    pip("install", "--quiet", "-r", str(ROOT / "colab-runtime.txt"))
    colab_before = pip("freeze")

    repo = load_repository()
    local = Repository(url=f"file://{ROOT}", branch=repo.branch, owner=repo.owner, name=repo.name, install_ref=ref)
    run_cell = ("import sys, types\n"
                "sys.modules['google.colab'] = types.ModuleType('google.colab')  # what Colab's kernel has\n"
                f"exec({colab.bootstrap_source(local)!r})\n")
    cell = subprocess.run([python, "-c", run_cell], capture_output=True, text=True, env=env, cwd=tmp_path, timeout=900)
    assert cell.returncode == 0, cell.stdout[-2000:] + cell.stderr[-3000:]
    after = pip("freeze")
    changed = set(colab_before.splitlines()) - set(after.splitlines())
    assert not changed, f"installing the helpers changed Colab's packages: {sorted(changed)}"
    assert any(line.lower().startswith("course_utils @ git+file") for line in after.splitlines()), after

    modules = sorted(
        ".".join(Path(f).with_suffix("").parts).removesuffix(".__init__")
        for f in _package_files(ROOT) if f.endswith(".py")
    )
    assert "course_utils.exercises.ch01" in modules
    probe = (
        "import importlib, json, course_utils\n"
        "assert 'site-packages' in course_utils.__file__ and '.venv' not in course_utils.__file__, course_utils.__file__\n"
        f"for name in {modules!r}: importlib.import_module(name)\n"
        "s = course_utils.load_sunspots()\n"
        "print(len(s), s.index[0].date(), s.index[-1].date())\n"
    )
    outside = tmp_path / "learner"
    outside.mkdir()
    result = subprocess.run([python, "-c", probe], capture_output=True, text=True, env=env, cwd=outside, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout.split() == ["2820", "1749-01-01", "1983-12-01"]

    for notebook in chapter_notebooks():
        script = outside / f"{notebook.stem}_exercise.py"
        script.write_text(_first_exercise_script(notebook), encoding="utf-8")
        run = subprocess.run([python, str(script)], capture_output=True, text=True, env=env, cwd=outside, timeout=300)
        assert run.returncode == 0, f"{notebook.name}: {run.stderr[-3000:]}"
        assert "\u2713" in run.stdout, f"{notebook.name}: the check did not pass: {run.stdout[-1000:]}"
