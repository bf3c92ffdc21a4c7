"""Copy MathJax 3 from its PyPI package into _vendor/mathjax, so the website renders math offline.

    python -m tools.vendor_mathjax

Run by `make book` and `make test` before the build. Only what the pages load is
copied: the TeX-to-HTML bundle, its web fonts and the TeX extensions it loads
on demand (about 2 MB instead of the package's 24 MB).
"""

from __future__ import annotations

import importlib.util
import shutil
from pathlib import Path


from tools.course_config import ROOT

# Not _static/: Jupyter Book adds every .js file found there to every page.
TARGET = ROOT / "_vendor" / "mathjax"
PARTS = ["tex-chtml.js", "output/chtml/fonts/woff-v2", "input/tex/extensions"]


def source_dir() -> Path:
    """The es5 folder of the installed django-static-mathjax package (MathJax 3.2.2)."""
    spec = importlib.util.find_spec("mathjax")
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit("MathJax is not installed: run `make book` (it installs requirements.txt).")
    es5 = Path(list(spec.submodule_search_locations)[0]) / "static" / "mathjax" / "es5"
    if not (es5 / "tex-chtml.js").is_file():
        raise SystemExit(f"{es5} has no tex-chtml.js; is django-static-mathjax==3.2.2.1 installed?")
    return es5


def vendor(target: Path = TARGET) -> None:
    """Copy the parts of MathJax the book uses into ``target`` (replacing what was there)."""
    es5 = source_dir()
    if target.exists():
        shutil.rmtree(target)
    for part in PARTS:
        src, dst = es5 / part, target / part
        dst.parent.mkdir(parents=True, exist_ok=True)
        if src.is_dir():
            shutil.copytree(src, dst)
        else:
            shutil.copy2(src, dst)


if __name__ == "__main__":
    vendor()
    print(f"MathJax copied to {TARGET.relative_to(ROOT)}")
