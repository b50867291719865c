// search.js: the search page (search.html), over Pagefind's index of the document pages
// (pagefind/, made by `cmctei publish`). The query and the filters live in the address
// (search.html?q=rusk&genre=Telegram), so a search can be bookmarked and the back button
// works. Without JavaScript, or without the index, the page says so and links the index.
(function () {
  "use strict";
  var status = document.getElementById("search-status");
  var list = document.getElementById("search-results");
  var box = document.getElementById("q");
  var panel = document.getElementById("search-filters");
  if (!status || !list || !box || !panel) { return; }
  var FACETS = [["kind", "Kind"], ["genre", "Genre"], ["classification", "Classification"],
                ["year", "Year"], ["person", "Person"]];
  var params = new URLSearchParams(window.location.search);
  box.value = params.get("q") || "";

  function say(text) { status.textContent = text; }
  function chosen() {
    var filters = {};
    FACETS.forEach(function (facet) {
      var values = params.getAll(facet[0]);
      if (values.length) { filters[facet[0]] = { any: values }; }
    });
    return filters;
  }
  function el(name, attrs, text) {
    var node = document.createElement(name);
    Object.keys(attrs || {}).forEach(function (key) { node.setAttribute(key, attrs[key]); });
    if (text !== undefined) { node.textContent = text; }
    return node;
  }
  function drawFilters(available) {
    panel.textContent = "";
    FACETS.forEach(function (facet) {
      var values = Object.keys(available[facet[0]] || {}).sort();
      if (!values.length) { return; }
      var set = el("fieldset", { "class": "facet" });
      set.appendChild(el("legend", {}, facet[1]));
      values.forEach(function (value, i) {
        var id = "f-" + facet[0] + "-" + i;
        var input = el("input", { type: "checkbox", name: facet[0], value: value, id: id });
        input.checked = params.getAll(facet[0]).indexOf(value) !== -1;
        input.addEventListener("change", function () { input.form.requestSubmit(); });
        var label = el("label", { "for": id }, value + " (" + available[facet[0]][value] + ")");
        var line = el("span", { "class": "facet-value" });
        line.appendChild(input); line.appendChild(label);
        set.appendChild(line);
      });
      panel.appendChild(set);
    });
  }
  function excerpt(html) {
    // Pagefind's excerpt is the page's text, escaped, with the words found in <mark>
    var span = el("span", { "class": "excerpt" });
    html.split(/(<mark>|<\/mark>)/).reduce(function (inMark, part) {
      if (part === "<mark>") { return true; }
      if (part === "</mark>") { return false; }
      var text = new DOMParser().parseFromString("<p>" + part + "</p>", "text/html").body.textContent;
      span.appendChild(inMark ? el("mark", {}, text) : document.createTextNode(text));
      return inMark;
    }, false);
    return span;
  }

  var base = new URL(".", document.currentScript ? document.currentScript.src : window.location.href);
  say("Loading the search index…");
  // A large collection's index is in shards (pagefind-<id>/ in date order, listed in
  // search-shards.json; cmctei/search_shards.py says why), merged here in that order, so that a
  // browse by date comes shard after shard. pagefind/ is then the index of which shard holds
  // which words (cmctei/search_vocabulary.py): asked first, it names the shards that can
  // answer, and the merged search keeps to them, so that no shard answers a word it lacks
  // with a fallback of its own.
  function shards() {
    return fetch(new URL("search-shards.json", base).href).then(function (response) {
      return response.ok ? response.json() : [];
    }).catch(function () { return []; }).then(function (names) {
      return Array.isArray(names) ? names.filter(function (name) {
        return typeof name === "string" && /^pagefind-[0-9a-f]{12}\/$/.test(name);
      }) : [];
    });
  }
  var query = box.value.trim();
  import(new URL("pagefind/pagefind.js", base).href).then(function (pagefind) {
    return pagefind.options({ baseUrl: base.pathname }).then(shards).then(function (names) {
      // (its facets are loaded first: Pagefind counts a search's facets only once they are;
      // quotes asked of it would ask for a phrase among words in sorted order)
      var asked = names.length && query ? pagefind.filters().then(function () {
        return pagefind.search(query.replace(/"/g, " "));
      }) : Promise.resolve(null);
      return asked.then(function (found) {
        var within = null;
        if (found) {
          var counts = (found.filters && found.filters.shard) || {};
          within = names.map(function (name) { return name.slice(0, -1); }).filter(function (folder) {
            return counts[folder] > 0;
          });
        }
        return names.reduce(function (done, name) {
          return done.then(function () {
            return pagefind.mergeIndex(new URL(name, base).pathname, { baseUrl: base.pathname });
          });
        }, Promise.resolve()).then(function () { return { pagefind: pagefind, within: within }; });
      });
    });
  }).then(function (loaded) {
    var pagefind = loaded.pagefind;
    var filters = chosen();
    return pagefind.filters().then(function (available) {
      drawFilters(available);
      if (!query && !Object.keys(filters).length) {
        say("Type words to find, or choose a filter.");
        return null;
      }
      if (loaded.within && !loaded.within.length) {  // no shard holds every word asked
        return { results: [] };
      }
      if (loaded.within) { filters.shard = { any: loaded.within }; }
      // Every document page has a kind; the pages of the words' index have none
      // (cmctei/search_vocabulary.py): asking for any kind keeps them out of the results.
      var kinds = Object.keys(available.kind || {});
      if (!filters.kind && kinds.length) { filters.kind = { any: kinds }; }
      return pagefind.search(query || null, { filters: filters, sort: query ? undefined : { date: "asc" } });
    });
  }).then(function (search) {
    if (!search) { return; }
    var shown = search.results.slice(0, 50);
    return Promise.all(shown.map(function (r) { return r.data(); })).then(function (pages) {
      list.textContent = "";
      pages.forEach(function (page) {
        var item = el("li", { "class": "search-result" });
        var heading = el("p", { "class": "result-title" });
        heading.appendChild(el("a", { href: page.url }, page.meta.title || page.url));
        if (page.meta.date) { heading.appendChild(document.createTextNode(" (" + page.meta.date + ")")); }
        item.appendChild(heading);
        var text = el("p", { "class": "result-excerpt" });
        text.appendChild(excerpt(page.excerpt || ""));
        item.appendChild(text);
        list.appendChild(item);
      });
      var n = search.results.length;
      say(n === 0 ? "No document matches." :
          (n === 1 ? "1 document matches." : n + " documents match.") +
          (n > shown.length ? " The first " + shown.length + " are shown." : ""));
    });
  }).catch(function () {
    say("The search index could not be loaded: the site must be served over http(s) " +
        "(any static web server), and published with Pagefind installed. Every document is " +
        "listed in the collection's index.");
  });
}());
