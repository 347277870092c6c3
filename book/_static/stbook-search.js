/* The book's search page, on top of Sphinx's searchtools.js (loaded before this file, on the
 * search page only: book/_templates/search.html).
 *
 * - A query is read as the index was built (stbook/sphinxext/search.py): each synonym of
 *   book/search-synonyms.txt becomes its term ("R&D", "research and development" -> 研发), and
 *   a run of Chinese characters that is not a word of the index is cut into the longest words
 *   of the index it holds (研发经费 -> 研发 + 经费), as jieba cut the pages.
 * - Results are ranked by where the words stand: in the page's title, in a section's title,
 *   and how often in the page's text (Sphinx only knows whether a page has a word); each page
 *   found is fetched for it, as Sphinx fetches it for its snippet anyway.
 * - Snippets and the ranking read the page's text without tables' header rows, code, charts
 *   and navigation; a table's row reads as its cells joined by " · ".
 */
(function () {
  "use strict";
  // language_data.js: a way of writing a term (lower case, words apart by one space) -> term
  var SYNONYMS = window.STBOOK_SYNONYMS || {};
  var PHRASES = Object.keys(SYNONYMS).sort(function (a, b) { return b.length - a.length; });
  var CJK = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+|[^\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+/g;
  var HAN = /^[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]/;
  var LONGEST = 12;  // the longest word looked for in a run of Chinese
  // What a snippet and the ranking leave out of a page: Sphinx's list, then tables' headers,
  // code, charts and navigation. A table row is read as its cells joined by " · ".
  var NOT_TEXT = [".headerlink", "script", "style", "thead", "pre", ".cell_input",
                  ".stbook-chart", ".vega-embed", "nav", ".toctree-wrapper", ".prev-next-area"];

  function escape(s) { return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"); }

  function phraseRegExp(p) {
    var body = p.split(/\s+/).map(escape).join("[\\s-]+");
    var head = /^[a-z0-9]/i.test(p) ? "(^|[^a-z0-9])" : "()";
    var tail = /[a-z0-9]$/i.test(p) ? "(?![a-z0-9])" : "";
    return new RegExp(head + body + tail, "gi");
  }
  var PATTERNS = PHRASES.map(function (p) { return [phraseRegExp(p), SYNONYMS[p]]; });

  function normalise(query) {
    PATTERNS.forEach(function (pt) {
      query = query.replace(pt[0], function (m, lead) { return lead + " " + pt[1] + " "; });
    });
    return query;
  }

  function known(word) {
    var index = Search._index;
    return !!index && (Object.prototype.hasOwnProperty.call(index.terms, word) ||
                       Object.prototype.hasOwnProperty.call(index.titleterms, word));
  }

  function segment(run) {
    // forward maximum matching against the index's words; a character that starts none is
    // left out (the index has no one-character words)
    if (known(run) || !Search._index) return [run];
    var out = [], i = 0;
    while (i < run.length) {
      var n = Math.min(LONGEST, run.length - i);
      while (n > 1 && !known(run.substr(i, n))) n--;
      if (n > 1) out.push(run.substr(i, n));
      i += n;
    }
    return out;
  }

  window.splitQuery = function (query) {
    var out = [];
    normalise(query).split(/[^\p{Letter}\p{Number}_\p{Emoji_Presentation}]+/gu)
      .filter(function (w) { return w; })
      .forEach(function (word) {
        (word.match(CJK) || []).forEach(function (part) {
          if (HAN.test(part)) out.push.apply(out, segment(part));
          else out.push(part);
        });
      });
    return out;
  };

  Search.htmlToText = function (htmlString, anchor) {
    var doc = new DOMParser().parseFromString(htmlString, "text/html");
    NOT_TEXT.forEach(function (q) {
      doc.querySelectorAll(q).forEach(function (el) { el.remove(); });
    });
    doc.querySelectorAll("tr").forEach(function (tr) {
      tr.textContent = " " + [...tr.cells].map(function (c) {
        return c.textContent.trim(); }).join(" · ") + ". ";
    });
    // the article (the theme's buttons and table of contents are beside it in [role=main])
    var main = (anchor && doc.querySelector('[role="main"] ' + anchor)) ||
               doc.querySelector('[role="main"] article') || doc.querySelector('[role="main"]');
    return main ? main.textContent.replace(/\s+/g, " ").trim() : "";
  };

  function spellings(keywords) {
    // the words searched for, and every way of writing the ones that are terms
    var all = new Set(keywords);
    PHRASES.forEach(function (p) { if (all.has(SYNONYMS[p])) all.add(p); });
    return all;
  }

  var summary = Search.makeSearchSummary;
  Search.makeSearchSummary = function (htmlText, keywords, anchor) {
    return summary(htmlText, spellings(keywords), anchor);
  };

  function occurrences(text, ways) {
    // how often any of the ways of writing a word occurs (each place counted once)
    var re = new RegExp(ways.slice().sort(function (a, b) { return b.length - a.length; })
      .map(function (w) { return w.split(/\s+/).map(escape).join("[\\s-]+"); }).join("|"), "g");
    return (text.match(re) || []).length;
  }

  function plain(html) {  // the index's titles are HTML ("R&amp;D")
    return new DOMParser().parseFromString(String(html), "text/html").body.textContent;
  }

  // A page's score, for a page found by its text: for each word of the query, weighted by how
  // rare it is in the book (BM25's IDF), 15 if it is in a section's title (5 if only in the
  // text: Sphinx's scores), 15 more if in the page's title, and up to 15 for how often it
  // occurs (BM25's saturation and its correction for the page's length, so that a long page
  // naming every term once does not come first); and up to 15 for how often the whole query
  // occurs as typed. Results Sphinx found by a title or an index entry keep its score, plus
  // the same frequencies.
  var IN_TITLE = 10, IN_TEXT = 0, IN_PAGE_TITLE = 10, FREQUENCY = 20, PHRASE = 20;
  var K1 = 1.2, B = 0.75;

  function saturated(tf, length, mean) {
    return tf / (tf + K1 * (1 - B + B * length / Math.max(mean, 1)));
  }

  function has(list, doc) {
    return list !== undefined && (list === doc || (list.length !== undefined && list.indexOf(doc) !== -1));
  }

  function rank(results, searchTerms, query) {
    // Each page is fetched once (the summaries then come from the browser's cache).
    var index = Search._index, n = index.docnames.length, pages = {};
    var root = document.documentElement.dataset.content_root;
    results.forEach(function (r) {
      var url = root + r[0] + DOCUMENTATION_OPTIONS.FILE_SUFFIX;
      if (!pages[url]) {
        pages[url] = fetch(url).then(function (res) { return res.text(); })
          .then(function (html) { return Search.htmlToText(html).toLowerCase(); })
          .catch(function () { return ""; });
      }
      r.url = url;
      r.doc = index.docnames.indexOf(r[0]);
    });
    var words = [...searchTerms].map(function (w) {
      var found = 0;
      for (var d = 0; d < n; d++) {
        if (has(index.terms[w], d) || has(index.titleterms[w], d)) found++;
      }
      return {word: w, idf: Math.log(1 + (n - found + 0.5) / (found + 0.5)),
              ways: [...spellings([w])].map(function (s) { return s.toLowerCase(); })};
    });
    var total = words.reduce(function (t, w) { return t + w.idf; }, 0) || 1;
    var phrase = normalise(query).toLowerCase().replace(/\s+/g, " ").trim();
    var whole = words.length > 1 ? [phrase] : null;
    var urls = Object.keys(pages);
    return Promise.all(urls.map(function (u) { return pages[u]; })).then(function (texts) {
      var text = {}, mean = 0;
      urls.forEach(function (u, i) { text[u] = texts[i]; mean += texts[i].length / urls.length; });
      results.forEach(function (r) {
        var title = plain(r[1]).toLowerCase(), page = text[r.url], score = 0;
        words.forEach(function (w) {
          var base = has(index.titleterms[w.word], r.doc) ? IN_TITLE
                   : has(index.terms[w.word], r.doc) ? IN_TEXT : 0;
          var inTitle = w.ways.some(function (way) { return title.indexOf(way) !== -1; });
          score += w.idf / total * ((r[2] ? 0 : base) + (inTitle ? IN_PAGE_TITLE : 0) +
            FREQUENCY * saturated(occurrences(page, w.ways), page.length, mean));
        });
        if (whole) score += PHRASE * saturated(occurrences(page, whole), page.length, mean);
        r[4] = (r[2] ? r[4] : 0) + score;
      });
      // ascending: searchtools shows the last one first
      results.sort(function (a, b) { return a[4] - b[4] || (a[1] < b[1] ? 1 : a[1] > b[1] ? -1 : 0); });
      return results;
    });
  }

  // The results for a query, ranked, in searchtools' order (it shows the last first): a
  // promise of [results, searchTerms, highlightTerms].
  function find(query) {
    var parsed = Search._parseQuery(query);
    var searchTerms = parsed[1];
    var highlightTerms = new Set([...parsed[3], ...spellings(searchTerms)]);  // "R&D" too
    return rank(Search._performSearch.apply(null, parsed), searchTerms, query)
      .then(function (ranked) { return [ranked, searchTerms, highlightTerms]; });
  }

  // The links the page shows for a query, best first (for the tests: tests/test_search.py).
  Search.stbookLinks = function (query) {
    return find(query).then(function (r) {
      return r[0].slice().reverse().map(function (x) {
        return x[0] + DOCUMENTATION_OPTIONS.LINK_SUFFIX + x[2];
      });
    });
  };

  Search.query = function (query) {
    find(query).then(function (r) {
      _displayNextItem(r[0], r[0].length, r[1], r[2]);
    });
  };
})();
