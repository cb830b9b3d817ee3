// The preview only (`mkdocs serve`). MkDocs reloads a page when the site has been rebuilt with a script it
// writes at the end of the page: `livereload(<build>, <request>);`. The page's Content Security Policy allows
// only the theme's own inline scripts, so the browser refuses that one. This file, loaded from the site
// itself, reads the build the page comes from in that script's text and does its job: it asks the server for
// a newer build and reloads the page when there is one (a page that lists errors too, so that the reader
// sees what to fix, and then the notice once it is fixed).
//
// A newer build does not always change this page: the preview serves a save once its default locale is built,
// then builds the other locales (decision record 0012), and says so twice. The server writes in each page the
// digest of the page as built (`<meta name="notice-preview-page">`, later_locales.py), so the page is reloaded
// only when the server's copy has another digest than the one shown.
(() => {
  const DIGEST = /<meta name="notice-preview-page" content="([0-9a-f]+)">/;
  const servedDigest = () =>
    fetch(window.location.href, { cache: "no-store" })
      .then((response) => (response.ok ? response.text() : ""))
      .then((text) => (DIGEST.exec(text) || [])[1] || null);
  const written = () => {
    for (const script of document.scripts) {
      const match = /livereload\((\d+), (\d+)\);\s*$/.exec(script.textContent || "");
      if (match) return { build: Number(match[1]), request: match[2] };
    }
    return null;
  };
  // The digest of the page as shown; null when the server wrote none (then every newer build reloads it).
  const shown = document.querySelector('meta[name="notice-preview-page"]')?.content || null;
  let request = null;
  let timer = null;
  const stop = () => {
    const asked = request;
    request = null;
    if (timer) clearTimeout(timer);
    timer = null;
    if (asked) asked.abort();
  };
  const poll = (page) => {
    stop();
    request = new XMLHttpRequest();
    request.onloadend = function () {
      if (request !== this) return; // stopped
      const build = parseFloat(this.responseText);
      if (build > page.build) {
        if (shown === null) {
          window.location.reload();
          return;
        }
        servedDigest()
          .then((digest) => {
            if (digest === shown) {
              page.build = build; // this page is as it was: nothing to reload
              poll(page);
            } else {
              window.location.reload();
            }
          })
          .catch(() => window.location.reload());
      } else {
        timer = setTimeout(() => poll(page), this.status === 200 ? 0 : 3000);
      }
    };
    request.open("GET", `/livereload/${page.build}/${page.request}`);
    request.send();
  };
  window.addEventListener("load", () => {
    const page = written();
    if (!page) return; // served without live reload (`mkdocs serve --no-livereload`)
    if (document.visibilityState === "visible") poll(page);
    window.addEventListener("visibilitychange", () => (document.visibilityState === "visible" ? poll(page) : stop()));
    window.addEventListener("beforeunload", stop);
  });
})();
