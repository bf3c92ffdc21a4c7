"""The website in a real browser (headless Chromium driven by Playwright), served on 127.0.0.1.

Skips with a message where Chromium is missing, so `make test` still runs on a
reader's laptop; `.ci/run` installs Debian's chromium so CI always runs it.
Screenshots land in _build/screenshots/ for a maintainer to look at.
"""

from __future__ import annotations

import functools
import gzip
import http.server
import shutil
import threading

import pytest

from tools.course_config import ROOT, chapter_notebooks, load_repository

HTML = ROOT / "_build" / "html"
SHOTS = ROOT / "_build" / "screenshots"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
PAGE_WEIGHT_LIMIT = 2_000_000  # bytes, gzip-compressed as a web server would send them
CHAPTERS = chapter_notebooks()
PAGES = ["book/intro.html", "book/instructors.html"] + [f"book/{p.stem}.html" for p in CHAPTERS]
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]

pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="no Chromium found: install Debian's 'chromium' to run the browser tests")


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def site():
    if not (HTML / "index.html").exists():
        pytest.fail("_build/html is missing: build the book first (make test does it)")
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(HTML)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


@pytest.fixture(scope="module")
def browser():
    playwright_api = pytest.importorskip("playwright.sync_api")
    with playwright_api.sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def _visit(browser, url: str, width: int, dark: bool = False):
    """Open ``url``; return the page and what happened: console errors, bad responses, bytes by URL."""
    context = browser.new_context(viewport={"width": width, "height": 900}, color_scheme="dark" if dark else "light")
    page = context.new_page()
    record = {"errors": [], "bad": [], "bytes": {}}
    page.on("console", lambda m: record["errors"].append(m.text) if m.type == "error" else None)
    page.on("requestfailed", lambda r: record["bad"].append(f"failed {r.url}"))

    def on_response(response):
        if response.status >= 400:
            record["bad"].append(f"{response.status} {response.url}")
        try:
            record["bytes"][response.url] = len(gzip.compress(response.body()))
        except Exception:  # noqa: BLE001 - redirects and aborted bodies have no size
            pass

    page.on("response", on_response)
    if dark:
        page.add_init_script("localStorage.setItem('mode', 'dark'); localStorage.setItem('theme', 'dark');")
    page.goto(url, wait_until="networkidle")
    if page.locator("script[src*='mathjax']").count():  # only pages with math load MathJax
        page.wait_for_function("() => window.MathJax && MathJax.startup && MathJax.startup.promise")
        page.evaluate("() => MathJax.startup.promise")
    return context, page, record


@pytest.mark.parametrize("path", PAGES)
@pytest.mark.parametrize("width", [1280, 390], ids=["desktop", "mobile"])
def test_page_renders_cleanly(browser, site, path, width):
    context, page, record = _visit(browser, f"{site}/{path}", width)
    try:
        assert record["errors"] == [], f"console errors: {record['errors']}"
        assert record["bad"] == [], f"failed requests: {record['bad']}"
        assert all(url.startswith(site) for url in record["bytes"]), "a request left localhost"
        images = page.evaluate("() => Array.from(document.images).map(i => [i.src, i.complete, i.naturalWidth])")
        assert all(done and w > 0 for _, done, w in images), f"images that did not load: {images}"
        if "\\(" in page.content() or page.locator(".math").count():
            assert page.locator("mjx-container").count() > 0, "math was not rendered by MathJax"
            text = page.evaluate("() => document.querySelector('article').innerText")
            assert "\\mathbf" not in text and "\\frac" not in text, "raw TeX is visible on the page"
        overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"the page scrolls horizontally by {overflow} px at {width} px"
        weight = sum(record["bytes"].values())
        assert weight <= PAGE_WEIGHT_LIMIT, f"{path} weighs {weight / 1e6:.2f} MB compressed"
    finally:
        context.close()


@pytest.mark.parametrize("notebook", CHAPTERS, ids=lambda p: p.name)
def test_colab_button_in_the_browser(browser, site, notebook):
    repo = load_repository()
    context, page, _ = _visit(browser, f"{site}/book/{notebook.stem}.html", 1280)
    try:
        hrefs = page.eval_on_selector_all("a[href*='colab.research.google.com']", "els => els.map(e => e.href)")
        assert set(hrefs) == {repo.colab_url(f"book/{notebook.name}")}
    finally:
        context.close()


def test_screenshots_light_and_dark(browser, site):
    SHOTS.mkdir(parents=True, exist_ok=True)
    first = CHAPTERS[0].stem
    for name, path in [("landing", "book/intro.html"), (first, f"book/{first}.html")]:
        for layout, width in [("desktop", 1280), ("mobile", 390)]:
            for mode in ("light", "dark"):
                context, page, record = _visit(browser, f"{site}/{path}", width, dark=mode == "dark")
                try:
                    assert page.evaluate("() => document.documentElement.dataset.theme") == mode
                    target = SHOTS / f"{name}-{layout}-{mode}.png"
                    page.screenshot(path=str(target))
                    assert target.stat().st_size > 10_000
                finally:
                    context.close()


@pytest.mark.parametrize("query, page_name", [("persistence", "04_sunspots"), ("GradientTape", "01_rnn_fundamentals"),
                                              ("masking", "02_sequence_format")])
def test_search_finds_chapter_content(browser, site, query, page_name):
    context, page, record = _visit(browser, f"{site}/search.html?q={query}", 1280)
    try:
        page.wait_for_selector("ul.search li", timeout=15000)
        hits = page.eval_on_selector_all("ul.search li a", "els => els.map(e => e.getAttribute('href'))")
        assert any(page_name in h for h in hits), f"searching {query!r} found {hits}"
        assert record["errors"] == []
    finally:
        context.close()
