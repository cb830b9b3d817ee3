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
// a keyboard cannot reach (and a label may not take the role of a button): put a real button in its place,
// drawn as the label was, named as the navigation and the search are named in the page's language, that
// toggles the same checkbox. Without JavaScript the label stays, as Material has it.
document.querySelectorAll('label.md-header__button[for="__drawer"], label.md-header__button[for="__search"]').forEach(
  (label) => {
    const toggle = document.getElementById(label.htmlFor);
    const target = label.htmlFor === "__drawer" ? ".md-nav--primary" : ".md-search";
    const name = document.querySelector(target)?.getAttribute("aria-label");
    if (!name || !toggle) return;
    const button = document.createElement("button");
    button.type = "button";
    button.className = label.className + " notice-header-button";
    button.dataset.for = label.htmlFor;
    button.setAttribute("for", label.htmlFor); // Material's stylesheet shows and hides the label by this attribute
    button.setAttribute("aria-label", name);
    button.innerHTML = label.innerHTML;
    button.addEventListener("click", (event) => {
      event.stopPropagation(); // Material's own click handling would close the drawer again at once
      toggle.click();
    });
    label.replaceWith(button);
  },
);

// A host answers every missing address with the site's one 404 page (GitHub Pages does), which is in the
// default language: under another locale's folder, show that locale's own 404 page (<folder>/404.html).
// Without JavaScript the page links to the notice in every language, each named in its own.
(() => {
  const homes = [...document.querySelectorAll(".notice-not-found a[href][lang]")].map((link) => ({
    path: new URL(link.href, document.baseURI).pathname,
    lang: link.lang,
  }));
  const here = homes
    .filter((home) => window.location.pathname.startsWith(home.path))
    .sort((a, b) => b.path.length - a.path.length)[0];
  if (here && here.lang !== document.documentElement.lang) window.location.replace(here.path + "404.html");
})();

// Material fetches `sitemap.xml` beside every <link rel="alternate"> of a page once it has loaded (its
// "alternate" integration, made for switchers that link to a language's or version's root), to find the
// same page there. This page's alternates are for search engines and feed readers: the page in each
// language (absolute, as hreflang needs), its JSON and the Atom feed. Beside them there is no sitemap (a
// 404 for each), and from any other address than site_url each is a request to another host, which the
// page's Content Security Policy refuses (a console error for each). Nothing is left for Material to
// resolve: the language switcher already links each page to the same page in the other language. So the
// links are out of its sight while it looks (DOMContentLoaded), and back right after, as the HTML has them.
(() => {
  if (document.readyState !== "loading") return; // Material has looked already
  const links = [...document.querySelectorAll("link[rel=alternate]")];
  for (const link of links) link.rel = "notice-alternate";
  document.addEventListener(
    "DOMContentLoaded",
    // After every DOMContentLoaded listener, Material's included, whatever the order they were added in.
    () => setTimeout(() => links.forEach((link) => (link.rel = "alternate"))),
    { once: true },
  );
})();

// Material searches when a key is released in the search box (and when the box gains focus): text pasted
// or dropped with the mouse, which fires `input` and no key event, would not be searched. Each change made
// without the keyboard is announced to Material as a key release; one made with a key is announced by the
// key itself (Material ignores a value that did not change). While an input method composes (Chinese,
// Japanese), the text is not final: the `input` that ends the composition searches it.
document.addEventListener("input", (event) => {
  const box = event.target;
  if (!(box instanceof HTMLInputElement) || !box.matches("[data-md-component=search-query]")) return;
  if (event.isComposing) return;
  box.dispatchEvent(new KeyboardEvent("keyup", { bubbles: true }));
});
