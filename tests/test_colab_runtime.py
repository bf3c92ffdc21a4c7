"""Colab's versions are the course's versions: one record (colab-runtime.txt), and everything agrees with it.

Learners run the chapters in Colab on Colab's own Python and packages, so the
committed outputs, nbval and CI must come from those same versions.
"""

from __future__ import annotations

import ast
import importlib.metadata
import re
import sys
import tomllib

import nbformat
import pytest
from packaging.requirements import Requirement
from packaging.version import Version

from tools.course_config import ROOT, chapter_notebooks, load_colab_runtime

RUNTIME = load_colab_runtime()
# Import names whose distribution has another name.
DISTRIBUTION_OF = {"sklearn": "scikit-learn", "yaml": "pyyaml", "bs4": "beautifulsoup4"}


def test_the_record_says_where_its_versions_come_from():
    assert "googlecolab/backend-info" in RUNTIME.source
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}.*", RUNTIME.recorded)
    assert {"tensorflow", "keras", "numpy", "pandas", "matplotlib"} <= set(RUNTIME.pins)


@pytest.mark.parametrize("bad, fragment", [
    ("# source: x\n# recorded: 2026-01-01\n# python: 3.13\nnumpy>=2\n", "name==version"),
    ("# source: x\n# python: 3.13\nnumpy==2.1.3\n", "recorded"),
    ("# source: x\n# recorded: 2026-01-01\n# python: three\nnumpy==2.1.3\n", "python"),
])
def test_a_malformed_record_is_refused(tmp_path, bad, fragment):
    path = tmp_path / "colab-runtime.txt"
    path.write_text(bad)
    with pytest.raises(ValueError, match=fragment):
        load_colab_runtime(path)


def _requirement_lines(name: str) -> list[str]:
    lines = (ROOT / name).read_text(encoding="utf-8").splitlines()
    return [line.split("#")[0].strip() for line in lines if line.split("#")[0].strip()]


def test_requirements_take_colabs_versions_from_the_record_only():
    lines = _requirement_lines("requirements.txt")
    assert "-r colab-runtime.txt" in lines, "requirements.txt must include the record"
    own = {Requirement(line).name.lower() for line in lines if not line.startswith("-")}
    twice = own & set(RUNTIME.pins)
    assert not twice, f"requirements.txt pins {sorted(twice)} again: Colab's versions live only in colab-runtime.txt"


def _imported_modules() -> set[str]:
    """Top-level modules imported by the chapters' code cells and by course_utils."""
    sources = [c.source for p in chapter_notebooks() for c in nbformat.read(p, as_version=4).cells
               if c.cell_type == "code"]
    sources += [p.read_text(encoding="utf-8") for p in (ROOT / "course_utils").rglob("*.py")]
    found = set()
    for source in sources:
        clean = "\n".join(line for line in source.splitlines() if not line.lstrip().startswith(("%", "!")))
        for node in ast.walk(ast.parse(clean)):
            if isinstance(node, ast.Import):
                found |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                found.add(node.module.split(".")[0])
    return found


@pytest.mark.rule
def test_every_package_the_chapters_import_has_colabs_version_recorded():
    third_party = {m for m in _imported_modules() if m not in sys.stdlib_module_names and m != "course_utils"}
    distributions = {re.sub(r"[-_.]+", "-", DISTRIBUTION_OF.get(m, m)).lower() for m in third_party}
    missing = distributions - set(RUNTIME.pins)
    assert not missing, f"the chapters import {sorted(missing)}: record Colab's version in colab-runtime.txt"


def test_this_environment_runs_colabs_versions():
    """The venv that executes the chapters (and so nbval) is Colab's runtime: same Python, same packages."""
    running = f"{sys.version_info.major}.{sys.version_info.minor}"
    assert running == RUNTIME.python, (
        f"tests run on Python {running}, Colab on {RUNTIME.python}: rebuild .venv with Python {RUNTIME.python}"
    )
    wrong = {name: (importlib.metadata.version(name), pin) for name, pin in RUNTIME.pins.items()
             if importlib.metadata.version(name) != pin}
    assert not wrong, f"installed vs Colab's versions: {wrong}; run `make install`"


def admits(requirement: str, versions: dict[str, str]) -> bool:
    """True when ``requirement`` accepts the recorded version of its package (or the package is not recorded)."""
    req = Requirement(requirement)
    recorded = versions.get(req.name.lower())
    return recorded is None or req.specifier.contains(Version(recorded), prereleases=True)


def test_installing_the_helpers_in_colab_never_changes_colabs_packages():
    """Every dependency range in pyproject.toml admits Colab's version, so pip keeps what Colab has."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    refused = [dep for dep in project["dependencies"] if not admits(dep, RUNTIME.pins)]
    assert not refused, f"pyproject.toml asks for more than Colab has: {refused} (Colab: {RUNTIME.pins})"
    assert project["requires-python"] and Requirement(f"python{project['requires-python']}").specifier.contains(
        Version(RUNTIME.python + ".0"))


def test_a_lower_bound_above_colab_is_caught():
    assert not admits("numpy>=2.2", {"numpy": "2.1.3"})
    assert not admits("pandas>=2.3,<3", {"pandas": "2.2.3"})
    assert admits("numpy>=1.24", {"numpy": "2.1.3"})


@pytest.mark.rule
def test_readme_names_the_supported_python():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert f"Python {RUNTIME.python}" in readme
    stale = re.findall(r"Python 3\.(?!%s\b)\d+" % RUNTIME.python.split(".")[1], readme)
    assert not stale, f"README still names {stale}; the course is tested on Python {RUNTIME.python} only"
