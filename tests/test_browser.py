"""The website in a real browser (headless Chromium driven by Playwright), served on 127.0.0.1.

Skips with a message where Chromium is missing, so `make test` still runs on a
reader's laptop; `.ci/run` installs Debian's chromium so CI always runs it.
Screenshots land in _build/screenshots/ for a maintainer to look at, and every page's
axe-core accessibility violations (any impact) in _build/axe/.
"""

from __future__ import annotations

import collections
import functools
import gzip
import http.server
import json
import shutil
import threading
import time
from pathlib import Path

import pytest

from tools.course_config import ROOT, chapter_notebooks, load_repository, toc_files

HTML = ROOT / "_build" / "html"
SHOTS = ROOT / "_build" / "screenshots"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
PAGE_WEIGHT_LIMIT = 2_000_000  # bytes, gzip-compressed as a web server would send them
CHAPTERS = chapter_notebooks()
# Every page in _toc.yml: the landing page, the chapters, the results page, the instructors' guide.
PAGES = [f"{name}.html" for name in toc_files()]
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
    page.wait_for_load_state("load")  # networkidle can come first; the theme finishes the page on load
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


# Accessibility: axe-core, the engine behind Lighthouse's and axe DevTools' audits, on every page.
# axe's default rules (WCAG 2.0-2.2 A and AA, and best practices: a superset of Lighthouse's), plus
# the rules Lighthouse's audit turns on that axe leaves off by default (label-content-name-mismatch
# is "experimental" in axe 4.x) and target-size (WCAG 2.2 AA 2.5.8, also off by default).
AXE_EXTRA_RULES = ["label-content-name-mismatch", "target-size", "identical-links-same-purpose",
                   "table-fake-caption", "td-has-header"]
AXE_OPTIONS = {"resultTypes": ["violations"], "rules": {rule: {"enabled": True} for rule in AXE_EXTRA_RULES}}
# The search page (with results listed) and the general index are pages of the site too.
AXE_PAGES = PAGES + ["search.html?q=persistence", "genindex.html"]
AXE_FAILS = ("critical", "serious")  # the impacts that fail the test; moderate and minor are recorded
AXE_RECORDS = ROOT / "_build" / "axe"
# Settled page: the theme marks scrollable code blocks focusable 300 ms after the page's last change.
QUIET_DOM = """() => new Promise(resolve => {
  const done = () => { observer.disconnect(); resolve(); };
  let timer = setTimeout(done, 350);
  const observer = new MutationObserver(() => { clearTimeout(timer); timer = setTimeout(done, 350); });
  observer.observe(document.body, {subtree: true, childList: true});
})"""


def run_axe(page, options: dict = AXE_OPTIONS) -> dict:
    """Run axe-core (the copy shipped in axe-playwright-python) on ``page``; return its version and violations."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        import axe_playwright_python as package  # in requirements.txt: missing, the test fails, never skips
        page.add_script_tag(content=(Path(package.__file__).parent / "axe.min.js").read_text(encoding="utf-8"))
    return page.evaluate("""async options => {
        const results = await axe.run(document, options);
        return {axe_version: axe.version, url: results.url, violations: results.violations.map(v => ({
            id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl, tags: v.tags,
            nodes: v.nodes.map(n => ({target: n.target, html: n.html, summary: n.failureSummary}))}))};
    }""", options)


def axe_failures(violations: list[dict], shown: int = 3) -> list[str]:
    """One line per violation with a failing impact: rule, impact, help and the first offending nodes."""
    lines = []
    for v in violations:
        if v["impact"] in AXE_FAILS:
            n = len(v["nodes"])
            targets = ", ".join(" ".join(node["target"]) for node in v["nodes"][:shown])
            more = f" and {n - shown} more" if n > shown else ""
            lines.append(f"{v['id']} ({v['impact']}): {v['help']}; {n} node{'s' * (n != 1)}: {targets}{more}")
    return lines


def impact_counts(violations: list[dict]) -> dict[str, int]:
    """Offending nodes by impact."""
    counts = collections.Counter()
    for v in violations:
        counts[v["impact"]] += len(v["nodes"])
    return dict(counts)


@pytest.mark.parametrize("path", AXE_PAGES)
@pytest.mark.parametrize("width", [1280, 390], ids=["desktop", "mobile"])
def test_accessibility_axe(browser, site, path, width):
    """No serious or critical axe-core violation on any page; every violation is written to _build/axe/."""
    layout = "desktop" if width > 600 else "mobile"
    options = AXE_OPTIONS
    if layout == "mobile":
        # Colour contrast is most of axe's time (about 8 s on a chapter) and does not change with the
        # width: the desktop run checks it.
        options = {**AXE_OPTIONS, "rules": {**AXE_OPTIONS["rules"], "color-contrast": {"enabled": False}}}
    context, page, record = _visit(browser, f"{site}/{path}", width)
    try:
        if path.startswith("search.html"):
            page.wait_for_selector("ul.search li", timeout=15000)
        page.evaluate(QUIET_DOM)
        # The page's own errors, taken before axe runs: axe fetches the theme's @import "../basic.css"
        # against the page's address instead of the stylesheet's, and that 404 is not the site's.
        errors = list(record["errors"])
        start = time.perf_counter()
        result = run_axe(page, options)
        name = Path(path.split("?")[0]).stem
        AXE_RECORDS.mkdir(parents=True, exist_ok=True)
        (AXE_RECORDS / f"{name}-{layout}.json").write_text(json.dumps({
            "page": path, "layout": layout, "width": width, "axe_version": result["axe_version"],
            "options": options, "seconds": round(time.perf_counter() - start, 1),
            "counts": impact_counts(result["violations"]), "violations": result["violations"]}, indent=1) + "\n")
        failures = axe_failures(result["violations"])
        assert not failures, f"axe-core {result['axe_version']} on {path} at {width} px:\n" + "\n".join(failures)
        assert errors == [], f"console errors: {errors}"
    finally:
        context.close()


@pytest.mark.parametrize("html, rule, impact, target", [
    ('<button aria-label="Close dialog">Save</button>', "label-content-name-mismatch", "serious", "button"),
    ('<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">', "image-alt", "critical", "img"),
], ids=["label-content-name-mismatch", "image-alt"])
def test_axe_check_can_fail(browser, html, rule, impact, target):
    """The accessibility check reports a known serious or critical violation: it is not vacuous."""
    context = browser.new_context()
    page = context.new_page()
    try:
        page.set_content(f'<!doctype html><html lang="en"><head><title>Test</title></head>'
                         f'<body><main><h1>Test</h1>{html}</main></body></html>')
        failures = axe_failures(run_axe(page)["violations"])
        assert len(failures) == 1, failures
        assert failures[0].startswith(f"{rule} ({impact}): ") and f"; 1 node: {target}" in failures[0], failures
    finally:
        context.close()


def test_axe_covers_every_built_page():
    """Every HTML page the build writes is checked (the redirecting index.html aside)."""
    if not (HTML / "index.html").exists():
        pytest.fail("_build/html is missing: build the book first (make test does it)")
    built = {p.relative_to(HTML).as_posix() for p in HTML.rglob("*.html")
             if not p.relative_to(HTML).parts[0].startswith("_")} - {"index.html"}
    assert built == {p.split("?")[0] for p in AXE_PAGES}
