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
