"""The built website: run after the book build (make test builds first)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from tools.course_config import ROOT, chapter_notebooks, load_repository

HTML = ROOT / "_build" / "html"
CHAPTERS = chapter_notebooks()


@pytest.fixture(scope="module")
def built():
    if not (HTML / "index.html").exists():
        pytest.fail("_build/html is missing: build the book first (make test does it), e.g. make book")
    return HTML


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.name)
def test_colab_button_opens_this_notebook_on_the_configured_branch(built, path):
    repo = load_repository()
    page = built / "book" / (path.stem + ".html")
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    links = {a["href"] for a in soup.find_all("a", href=True) if "colab.research.google.com" in a["href"]}
    expected = f"https://colab.research.google.com/github/{repo.owner}/{repo.name}/blob/{repo.branch}/book/{path.name}"
    assert links == {expected}
    # The link's path inside the repository names a notebook that exists.
    relative = expected.split(f"/blob/{repo.branch}/", 1)[1]
    assert (ROOT / relative).is_file()


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.name)
def test_colab_badge_on_the_page_opens_what_the_launch_button_opens(built, path):
    """The notebook's own badge (for GitHub and nbviewer readers) renders on the site too, with a local image."""
    repo = load_repository()
    page = built / "book" / (path.stem + ".html")
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    badges = [img for img in soup.select("article img") if img.get("alt") == "Open in Colab"]
    assert len(badges) == 1, f"{path.name}: expected one Open in Colab badge, found {len(badges)}"
    link = badges[0].find_parent("a", href=True)
    assert link is not None and link["href"] == repo.colab_url(f"book/{path.name}")
    src = badges[0]["src"]
    assert not src.startswith(("http:", "https:", "//")), f"the badge image must be served by the site, not {src}"
    assert (page.parent / src).resolve().is_file(), f"{src} is missing from the built site"


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.name)
def test_download_button_serves_the_notebook(built, path):
    page = (built / "book" / (path.stem + ".html")).read_text(encoding="utf-8")
    assert "btn-download-source-button" in page
    assert (built / "_sources" / "book" / path.name).is_file()


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.name)
def test_chapter_page_has_its_figures_and_math(built, path):
    soup = BeautifulSoup((built / "book" / (path.stem + ".html")).read_text(encoding="utf-8"), "html.parser")
    for img in soup.find_all("img"):
        src = img["src"]
        if not src.startswith(("http", "data:")):
            assert (built / "book" / src).resolve().is_file(), f"missing image {src}"
    assert soup.find(class_="math"), "no math on the page"


def test_landing_page_lists_every_chapter(built):
    text = (built / "book" / "intro.html").read_text(encoding="utf-8")
    for path in CHAPTERS:
        assert re.search(rf'href="{re.escape(path.stem)}\.html', text), f"intro does not link {path.stem}"


def test_bootstrap_cell_is_hidden_on_the_website(built):
    for path in CHAPTERS:
        text = (built / "book" / (path.stem + ".html")).read_text(encoding="utf-8")
        assert "google.colab" not in text


def test_math_is_served_by_the_site_not_a_cdn(built):
    for page in [built / "book" / "intro.html"] + [built / "book" / (p.stem + ".html") for p in CHAPTERS]:
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        sources = [tag.get("src", "") for tag in soup.find_all("script")] + \
                  [tag.get("href", "") for tag in soup.find_all("link", rel="stylesheet")]
        external = [s for s in sources if s.startswith(("http:", "https:", "//"))]
        assert not external, f"{page.name} loads {external}"
        local = [s.split("?")[0] for s in sources if "mathjax" in s.lower()]
        assert local and all(s.endswith("mathjax/tex-chtml.js") for s in local), f"{page.name}: {local}"
    assert (built / "mathjax" / "tex-chtml.js").is_file()
    assert (built / "mathjax" / "output" / "chtml" / "fonts" / "woff-v2" / "MathJax_Main-Regular.woff").is_file()


def test_the_build_from_committed_outputs_is_quick(tmp_path):
    """The site builds from the committed notebooks in well under 30 s (nothing is executed)."""
    import subprocess
    import sys
    import time

    jupyter_book = str(Path(sys.executable).with_name("jupyter-book"))
    start = time.perf_counter()
    result = subprocess.run([jupyter_book, "build", str(ROOT), "--path-output", str(tmp_path), "-W", "-n", "--keep-going"],
                            capture_output=True, text=True, timeout=120)
    seconds = time.perf_counter() - start
    assert result.returncode == 0, result.stdout[-2000:]
    assert seconds < 30, f"the build took {seconds:.1f} s"
