// The preview only (`mkdocs serve`). MkDocs reloads a page when the site has been rebuilt with a script it
// writes at the end of the page: `livereload(<build>, <request>);`. The page's Content Security Policy allows
// only the theme's own inline scripts, so the browser refuses that one. This file, loaded from the site
// itself, reads the build the page comes from in that script's text and does its job: it asks the server for
// a newer build and reloads the page when there is one (a page that lists errors too, so that the reader
// sees what to fix, and then the notice once it is fixed).
//
// A newer build does not always change this page: the preview serves a save once its default locale is built,
// then builds the other locales (decision record 0012), and says so twice. So the page is reloaded only when
// the server's copy of it differs from the one shown, MkDocs' reload call aside.
(() => {
  const withoutReloadCall = (text) => text.replace(/livereload\(\d+, \d+\);/g, "");
  const served = () =>
    fetch(window.location.href, { cache: "no-store" }).then((response) => (response.ok ? response.text() : null));
  const written = () => {
    for (const script of document.scripts) {
      const match = /livereload\((\d+), (\d+)\);\s*$/.exec(script.textContent || "");
      if (match) return { build: Number(match[1]), request: match[2] };
    }
    return null;
  };
  let request = null;
  let timer = null;
  // The page as shown, without the reload call; null when unknown (then every newer build reloads it).
  let shown = null;
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
        const known = shown;
        served()
          .then((text) => {
            if (known !== null && text !== null && withoutReloadCall(text) === known) {
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
    // The page as shown: the server's copy, if it still is the build this page comes from.
    served()
      .then((text) => {
        const call = text === null ? null : /livereload\((\d+), \d+\);/.exec(text);
        if (call && Number(call[1]) === page.build) shown = withoutReloadCall(text);
      })
      .catch(() => {});
    if (document.visibilityState === "visible") poll(page);
    window.addEventListener("visibilitychange", () => (document.visibilityState === "visible" ? poll(page) : stop()));
    window.addEventListener("beforeunload", stop);
  });
})();
