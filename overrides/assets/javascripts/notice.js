// The language switcher links to the other locale's page; keep the reader at the same section.
// Section anchors are identical in every locale, so the current #anchor is valid there too.
document.addEventListener("click", (event) => {
  const link = event.target.closest("a[hreflang].md-select__link");
  if (link && window.location.hash) {
    link.href = link.href.split("#")[0] + window.location.hash;
  }
});
