// The search worker of the pages of a language that the browser splits into words (Japanese): Material's
// own worker, named by `?worker=` and loaded from this folder, with one step added before each query.
//
// Material splits the indexed text into words with TinySegmenter, but looks a query up as it was typed:
// "信じて" is then one word, which the index never holds (it holds "信じ" and "て"), and nothing is found.
// Here each query term written in Japanese is split by the same segmenter, and every word of it is
// required, as a prefix (Material makes every query word a prefix): "信じて" is searched as "+信じ* +て*".
"use strict";

(() => {
  const QUERY = 2; // Material's worker messages: 0 set up, 1 ready, 2 query, 3 result
  const JAPANESE = /[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff66-\uff9f]/;
  const WORD = /[\p{L}\p{N}]/u;
  // A term written with lunr's query syntax (+word, -word, word*, word~1, field:word, "a phrase") is
  // left as the reader wrote it.
  const SYNTAX = /^[+-]|[*~^:"]/;

  function segmented(query) {
    const segmenter = self.lunr && self.lunr.segmenter;
    if (!segmenter || query.includes('"')) return query;
    return query
      .split(/(\s+)/)
      .map((term) => {
        if (!JAPANESE.test(term) || SYNTAX.test(term)) return term;
        const words = segmenter.segment(term).filter((word) => WORD.test(word));
        return words.length > 1 ? words.map((word) => `+${word}*`).join(" ") : term;
      })
      .join("");
  }

  const worker = new URL(self.location.href).searchParams.get("worker") || "";
  if (!/^[\w-][\w.-]*\.js$/.test(worker)) {
    throw new Error(`notice search: "${worker}" is not the name of a search worker in this folder`);
  }
  // Listening before Material's worker does, this runs first: Material reads the query as changed here.
  self.addEventListener("message", (event) => {
    const message = event.data;
    if (message && message.type === QUERY && typeof message.data === "string") {
      message.data = segmented(message.data);
    }
  });
  importScripts(worker);
})();
