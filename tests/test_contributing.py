"""CONTRIBUTING.md lists every rule the tests enforce, with the test that enforces it, and nothing stale."""

from __future__ import annotations

import ast
import re

from tools.course_config import ROOT

PAGE = ROOT / "CONTRIBUTING.md"
NAMED = re.compile(r"`(tests/test_\w+\.py)::(test_\w+)`")


def _tests(path) -> dict[str, bool]:
    """Test function name -> whether it is marked @pytest.mark.rule."""
    tree = ast.parse((ROOT / path).read_text(encoding="utf-8"))
    return {node.name: any(ast.unparse(d) == "pytest.mark.rule" for d in node.decorator_list)
            for node in tree.body if isinstance(node, ast.FunctionDef) and node.name.startswith("test_")}


def test_every_test_the_page_names_exists():
    named = NAMED.findall(PAGE.read_text(encoding="utf-8"))
    assert len(named) >= 30
    missing = [f"{path}::{name}" for path, name in named if name not in _tests(path)]
    assert not missing, f"CONTRIBUTING.md names tests that no longer exist: {missing}"


def test_every_rule_test_is_on_the_page():
    """A test marked @pytest.mark.rule enforces a rule a newcomer must know: the page must say it."""
    named = set(NAMED.findall(PAGE.read_text(encoding="utf-8")))
    marked = {(f"tests/{p.name}", name) for p in (ROOT / "tests").glob("test_*.py")
              for name, rule in _tests(f"tests/{p.name}").items() if rule}
    assert marked, "no test is marked @pytest.mark.rule"
    assert not marked - named, f"rule tests missing from CONTRIBUTING.md: {sorted(marked - named)}"
    assert not named - marked, f"tests on CONTRIBUTING.md not marked @pytest.mark.rule: {sorted(named - marked)}"


def test_the_readme_links_the_page():
    assert "(CONTRIBUTING.md)" in (ROOT / "README.md").read_text(encoding="utf-8")
