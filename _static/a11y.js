/* Accessibility fixes the theme (pydata-sphinx-theme, sphinx-book-theme, myst-nb) does not
   make itself. Jupyter Book adds every .js file in _static/ to every page; this one runs
   after the theme's deferred scripts (on DOMContentLoaded) and again whenever the page adds
   controls later. tests/test_browser.py runs axe-core on every page to hold the result.

   WCAG 2.5.3 "Label in name" (axe rule label-content-name-mismatch): a control's accessible
   name must contain the text it shows, so that a speech-control user can say what they see. */
(() => {
  "use strict";

  const nameColourModeButton = (button) => {
    const mode = document.documentElement.dataset.mode;
    const icon = button.querySelector(`.theme-switch[data-mode="${mode}"]`);
    // Font Awesome's script replaces each <i title> by an <svg> holding a <title>.
    const shown = icon && (icon.getAttribute("title") || icon.querySelector("title")?.textContent);
    const name = shown ? `Color mode: ${shown}` : "Color mode";
    if (button.getAttribute("aria-label") !== name) button.setAttribute("aria-label", name);
  };

  const fix = (root) => {
    // The search buttons show "Search Ctrl+K" (⌘K on a Mac) but are labelled "Search": without
    // the label their name is the text they show.
    root.querySelectorAll(".search-button__button[aria-label]").forEach((button) => {
      if (button.querySelector(".search-button__default-text")) button.removeAttribute("aria-label");
    });
    // The colour-mode button shows one icon of three, titled "Light", "Dark" or "System Settings",
    // and is labelled "Color mode": the label names the mode shown as well.
    root.querySelectorAll(".theme-switch-button").forEach(nameColourModeButton);
    // myst-nb's hidden-cell toggles show "Show code cell source" / "Hide code cell source" but
    // are labelled "Toggle hidden content": the visible text is the better name.
    root.querySelectorAll("details > summary[aria-label]").forEach((summary) => {
      if (summary.textContent.trim()) summary.removeAttribute("aria-label");
    });
    // axe rule region: the course title in the primary sidebar sits outside every landmark.
    root.querySelectorAll(".sidebar-primary-item:not([role])").forEach((item) => {
      if (item.querySelector(":scope > .navbar-brand")) {
        item.setAttribute("role", "navigation");
        item.setAttribute("aria-label", "Course home");
      }
    });
  };

  const start = () => {
    fix(document);
    // Toggles and buttons that scripts add later (sphinx-togglebutton, thebe, search results).
    let pending = false;
    new MutationObserver(() => {
      if (pending) return;
      pending = true;
      requestAnimationFrame(() => {
        pending = false;
        fix(document);
      });
    }).observe(document.body, { childList: true, subtree: true });
    // The colour-mode button changes its icon when the mode changes.
    new MutationObserver(() => {
      document.querySelectorAll(".theme-switch-button").forEach(nameColourModeButton);
    }).observe(document.documentElement, { attributes: true, attributeFilter: ["data-mode"] });
  };

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
