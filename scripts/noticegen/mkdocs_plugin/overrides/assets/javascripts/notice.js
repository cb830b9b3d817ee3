// The language switcher links to the other locale's page; keep the reader at the same section.
// Section anchors are identical in every locale, so the current #anchor is valid there too.
// Capture phase: this runs before Material's own handler, which may drop the anchor.
window.addEventListener(
  "click",
  (event) => {
    const link = event.target.closest && event.target.closest("a[hreflang].md-select__link");
    if (!link || !window.location.hash || event.button !== 0) return;
    if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    event.stopPropagation();
    window.location.assign(link.href.split("#")[0] + window.location.hash);
  },
  true,
);

// Material opens the navigation drawer and the search on a phone with <label for="__drawer|__search">, which
// a keyboard cannot reach: make each a button, named as the navigation and the search are named in the page's
// language, and opened with Enter or Space as a button is.
document.querySelectorAll('label.md-header__button[for="__drawer"], label.md-header__button[for="__search"]').forEach(
  (label) => {
    const target = label.htmlFor === "__drawer" ? ".md-nav--primary" : ".md-search";
    const name = document.querySelector(target)?.getAttribute("aria-label");
    if (!name) return;
    label.setAttribute("role", "button");
    label.setAttribute("tabindex", "0");
    label.setAttribute("aria-label", name);
    label.addEventListener("keydown", (event) => {
      if (event.key !== "Enter" && event.key !== " ") return;
      event.preventDefault();
      event.stopPropagation(); // Material's own key handling would close the drawer again at once
      label.click();
    });
  },
);
