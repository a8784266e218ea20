/* Handbook: catalogue filters (state in the URL, live counts), the search page (Pagefind UI) and a
   language switch that keeps the filters and the search query. */
(function () {
  "use strict";

  function catalogue() {
    var form = document.getElementById("hb-filters");
    var list = document.getElementById("hb-list");
    if (!form || !list) return;
    var items = Array.prototype.slice.call(list.children);
    var inputs = Array.prototype.slice.call(form.querySelectorAll("input[type=checkbox]"));
    var params = [];
    inputs.forEach(function (input) { if (params.indexOf(input.name) < 0) params.push(input.name); });
    var facts = items.map(function (item) {
      var values = {};
      params.forEach(function (param) {
        values[param] = (item.getAttribute("data-" + param) || "").split("|").filter(Boolean);
      });
      return values;
    });
    var results = document.getElementById("hb-results");
    var empty = document.getElementById("hb-empty");
    var sort = document.getElementById("hb-sort");
    var defaultSort = sort ? sort.options[0].value : "";
    var wide = window.matchMedia("(min-width: 60em)");

    /* The list is in title order as built; another order is each item's data-rank-<order> (views/catalogue.SORTS). */
    function applyOrder() {
      var key = sort ? sort.value : defaultSort;
      var ordered = items.slice();
      if (key !== defaultSort) {
        ordered.sort(function (a, b) {
          return Number(a.getAttribute("data-rank-" + key)) - Number(b.getAttribute("data-rank-" + key));
        });
      }
      ordered.forEach(function (item) { list.appendChild(item); });
    }

    function selection() {
      var selected = {};
      inputs.forEach(function (input) {
        if (input.checked) (selected[input.name] = selected[input.name] || []).push(input.value);
      });
      return selected;
    }

    /* Within a facet the options are alternatives (OR); facets combine (AND). */
    function matches(values, selected, except) {
      return Object.keys(selected).every(function (param) {
        return param === except || selected[param].some(function (v) { return values[param].indexOf(v) >= 0; });
      });
    }

    function update() {
      var selected = selection();
      var shown = 0;
      items.forEach(function (item, index) {
        var visible = matches(facts[index], selected, null);
        item.hidden = !visible;
        if (visible) shown += 1;
      });
      inputs.forEach(function (input) {
        var count = 0;
        facts.forEach(function (values) {
          if (values[input.name].indexOf(input.value) >= 0 && matches(values, selected, input.name)) count += 1;
        });
        var badge = input.parentNode.querySelector("[data-count]");
        if (badge) badge.textContent = "(" + count + ")";
        input.parentNode.classList.toggle("hb-option--empty", count === 0 && !input.checked);
      });
      var active = 0;
      Array.prototype.forEach.call(form.querySelectorAll("details[data-facet]"), function (details) {
        var n = (selected[details.getAttribute("data-facet")] || []).length;
        active += n;
        details.querySelector("[data-selected]").textContent = n ? "(" + n + ")" : "";
      });
      var counter = document.getElementById("hb-active-filters");
      if (counter) counter.textContent = active ? "· " + counter.getAttribute("data-template").replace("{count}", active) : "";
      results.textContent = results.getAttribute("data-template")
        .replace("{count}", shown).replace("{total}", results.getAttribute("data-total"));
      empty.hidden = shown !== 0;
      var query = new URLSearchParams();
      inputs.forEach(function (input) { if (input.checked) query.append(input.name, input.value); });
      if (sort && sort.value !== defaultSort) query.set(sort.name, sort.value);
      var search = query.toString();
      history.replaceState(null, "", search ? "?" + search : location.pathname);
    }

    var query = new URLSearchParams(location.search);
    inputs.forEach(function (input) {
      input.checked = query.getAll(input.name).indexOf(input.value) >= 0;
      if (input.checked) input.closest("details").open = true;
    });
    if (sort) {
      var wanted = query.get(sort.name);
      sort.value = Array.prototype.some.call(sort.options, function (o) { return o.value === wanted; }) ? wanted : defaultSort;
      sort.addEventListener("change", function () { applyOrder(); update(); });
    }
    applyOrder();
    /* The filter panel is open on a wide screen; on a phone it stays closed so the results come first. */
    var panel = document.getElementById("hb-filter-panel");
    if (panel && wide.matches) panel.open = true;
    form.addEventListener("change", update);
    /* "Apply filters": the filters already apply while ticking; on a phone the panel then closes and the
       reader is taken to the number of results, which the list follows. */
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      update();
      if (panel && !wide.matches) panel.open = false;
      results.focus();
    });
    download(list, items);
    document.getElementById("hb-clear").addEventListener("click", function (event) {
      event.preventDefault();
      inputs.forEach(function (input) { input.checked = false; });
      update();
    });
    update();
  }

  /* "Download these results as CSV": without JavaScript or filters the link downloads the whole file; with
     filters, the rows of the listed practices, in the list's order, are cut from that same file (its columns
     have one owner, web/export.py) and handed over as a file made in the browser. */
  function download(list, items) {
    var link = document.getElementById("hb-download");
    if (!link || typeof Blob === "undefined" || !window.fetch) return;
    link.addEventListener("click", function (event) {
      var shown = items.filter(function (item) { return !item.hidden; });
      if (shown.length === items.length && !new URLSearchParams(location.search).toString()) return;
      event.preventDefault();
      fetch(link.href).then(function (response) {
        if (!response.ok) throw new Error(response.status);
        return response.text();
      }).then(function (text) {
        var rows = csvRecords(text.replace(/^\ufeff/, ""));
        var byId = {};
        rows.slice(1).forEach(function (row) { byId[row.slice(0, row.indexOf(","))] = row; });
        var wanted = Array.prototype.filter.call(list.children, function (item) { return !item.hidden; })
          .map(function (item) { return byId[item.getAttribute("data-id")]; }).filter(Boolean);
        var blob = new Blob(["\ufeff" + [rows[0]].concat(wanted).join("\r\n") + "\r\n"], { type: "text/csv;charset=utf-8" });
        var url = URL.createObjectURL(blob);
        var save = document.createElement("a");
        save.href = url;
        save.download = link.getAttribute("download") || "practices.csv";
        save.hidden = true;
        document.body.appendChild(save);
        save.click();
        save.remove();
        setTimeout(function () { URL.revokeObjectURL(url); }, 10000);
      }).catch(function () { location.href = link.href; });
    });
  }

  /* The records of a CSV text (RFC 4180: CRLF between records, quoted fields may hold line breaks). */
  function csvRecords(text) {
    var records = [];
    var start = 0;
    var quoted = false;
    for (var i = 0; i < text.length; i += 1) {
      var c = text.charAt(i);
      if (c === '"') quoted = !quoted;
      else if (!quoted && c === "\r" && text.charAt(i + 1) === "\n") {
        records.push(text.slice(start, i));
        start = i + 2;
        i += 1;
      }
    }
    if (start < text.length) records.push(text.slice(start));
    return records;
  }

  /* A practice page: the full card is open on a wide screen and on paper; on a phone its short form comes first. */
  function practiceCard() {
    var details = document.getElementById("hb-card-details");
    if (!details) return;
    if (window.matchMedia("(min-width: 60em)").matches) details.open = true;
    window.addEventListener("beforeprint", function () { details.open = true; });  /* paper shows the whole card */
  }

  /* Pagefind's interface in the site's own words (Flemish Dutch: "Wissen", not "Reset"): each data-ui-<key>
     of the search element is the translation of Pagefind's string <key> (dashes for underscores). */
  function searchTranslations(element) {
    var translations = {};
    Array.prototype.forEach.call(element.attributes, function (attribute) {
      if (attribute.name.indexOf("data-ui-") === 0) translations[attribute.name.slice(8).replace(/-/g, "_")] = attribute.value;
    });
    return translations;
  }

  /* A practice's summary is its metadata (never a tag of the result); where the reader's words match only the
     practice's search words (the labels of its card, a hidden line of their own weight: views/practice.py), the
     result shows the summary, not an excerpt of that line of labels. */
  function searchResult(element) {
    var key = element.getAttribute("data-summary-meta");
    var weight = Number(element.getAttribute("data-search-words-weight"));
    return function (result) {
      var summary = result.meta ? result.meta[key] : undefined;
      if (result.meta) delete result.meta[key];
      var locations = result.weighted_locations || [];
      var onlyLabels = locations.length > 0 && locations.every(function (location) { return location.weight === weight; });
      if (summary && onlyLabels) {
        result.excerpt = summary.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
      }
      return result;
    };
  }

  function search() {
    var element = document.getElementById("hb-search");
    if (!element || typeof PagefindUI === "undefined") return;
    /* Absolute: Pagefind's UI imports pagefind.js from bundlePath, and a relative one resolves against its own file,
       not the page (on /handboek/en/zoeken/ "../../pagefind/" became /pagefind/ for a site under a path). */
    var bundle = new URL(element.getAttribute("data-bundle"), location.href).pathname;
    var root = new URL(bundle + "../", location.href).pathname;
    var ui = new PagefindUI({
      element: "#hb-search",
      bundlePath: bundle,
      baseUrl: root,
      showImages: false,
      resetStyles: false,
      translations: searchTranslations(element),
      autofocus: true,
      processResult: searchResult(element)
    });
    var q = new URLSearchParams(location.search).get("q");
    if (q) ui.triggerSearch(q);
    var input = document.getElementById("hb-header-search-input");
    if (input && q) input.value = q;
  }

  /* The language selector leads to the same page in the other language (mkdocs-static-i18n); Material's
     own handler drops the query string, so with filters or a search query the switch is done here, with
     them: filter values are the same in both languages, and the query is the one in the search field. */
  function languageSwitch() {
    document.addEventListener("click", function (event) {
      if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
      var link = event.target instanceof Element ? event.target.closest(".md-select a[hreflang]") : null;
      if (!link) return;
      var query = new URLSearchParams(location.search);
      var field = document.querySelector("#hb-search input[type=text], #hb-search input[type=search]");
      if (field) {
        if (field.value.trim()) query.set("q", field.value.trim());
        else query.delete("q");
      }
      var state = query.toString();
      if (!state) return;
      event.preventDefault();
      event.stopPropagation();
      var target = new URL(link.getAttribute("href"), location.href);
      target.search = "?" + state;
      location.href = target.href;
    }, true);
  }

  /* Offline (handbook/web/offline.py): register the site's service worker, named by the manifest link the build
     writes. A page without it (`mkdocs serve`) drops the worker an earlier build left at this address, and its
     copies, so a preview never shows kept pages. A page the worker served from its copy says so, with the date. */
  function offline() {
    if (!("serviceWorker" in navigator)) return;
    var link = document.querySelector("link[rel=manifest][data-hb-worker]");
    if (!link) {
      /* The worker stops keeping, unregisters and deletes its caches; the page does so too, for a worker that is not running. */
      if (navigator.serviceWorker.controller) navigator.serviceWorker.controller.postMessage({ type: "hb-offline-drop" });
      navigator.serviceWorker.getRegistration().then(function (registration) {
        return registration && registration.unregister();
      }).then(function () {
        return window.caches ? caches.keys() : [];
      }).then(function (names) {
        names.forEach(function (name) { if (name.indexOf("hb-offline-") === 0) caches.delete(name); });
      });
      return;
    }
    navigator.serviceWorker.addEventListener("message", function (event) {
      var data = event.data || {};
      if (data.type !== "hb-offline-status" || !(data.cached || !navigator.onLine) || document.getElementById("hb-offline")) return;
      var line = document.createElement("p");
      line.id = "hb-offline";
      line.className = "hb-offline";
      line.textContent = data.line;
      var content = document.querySelector(".md-content__inner") || document.querySelector("main") || document.body;
      content.insertBefore(line, content.firstChild);
    });
    function ask() {
      if (navigator.serviceWorker.controller) navigator.serviceWorker.controller.postMessage({ type: "hb-offline-status" });
    }
    /* After the page has loaded: the worker's first install keeps a language's pages and index (up to the
       budget), which must not compete with the page the reader opened for the network or the CPU. */
    function register() {
      navigator.serviceWorker.register(new URL(link.getAttribute("data-hb-worker"), location.href).href, { updateViaCache: "none" })
        .then(ask, function () {});
    }
    if (document.readyState === "complete") register();
    else window.addEventListener("load", register);
    window.addEventListener("offline", ask);
  }

  /* "Mijn selectie": the ids of the chosen practices, kept in this browser's localStorage only (nothing is sent
     anywhere). Every id is checked against the selection page's list of known practices before it is used. */
  var SELECTION_KEY = "hb-selection";
  var SELECTION_MAX_QUERY = 20000;  /* characters of ?ids= read at most: a longer link is cut, not parsed whole */

  function storage() {
    try {
      var store = window.localStorage;
      store.getItem(SELECTION_KEY);
      return store;
    } catch (error) {
      return null;  /* storage off (a private window, a policy): the controls stay hidden */
    }
  }

  function storedSelection(store) {
    try {
      var ids = JSON.parse(store.getItem(SELECTION_KEY) || "[]");
      return Array.isArray(ids) ? ids.filter(function (id) { return typeof id === "string" && /^[a-z0-9][a-z0-9-]{0,99}$/.test(id); }) : [];
    } catch (error) {
      return [];
    }
  }

  function storeSelection(store, ids) {
    try { store.setItem(SELECTION_KEY, JSON.stringify(ids)); } catch (error) { /* full or refused: kept for this page only */ }
  }

  /* The add/remove buttons of the catalogue and the practice pages (real buttons, aria-pressed). */
  function selectionButtons() {
    var store = storage();
    var buttons = Array.prototype.slice.call(document.querySelectorAll("button[data-select]"));
    if (!store || !buttons.length) return;
    function show() {
      var ids = storedSelection(store);
      buttons.forEach(function (button) {
        button.setAttribute("aria-pressed", ids.indexOf(button.getAttribute("data-select")) >= 0 ? "true" : "false");
      });
      Array.prototype.forEach.call(document.querySelectorAll(".hb-select-link"), function (link) {
        link.hidden = false;
        var count = link.querySelector("[data-selection-count]");
        if (count) count.textContent = ids.length ? "(" + ids.length + ")" : "";
      });
    }
    buttons.forEach(function (button) {
      button.hidden = false;
      button.addEventListener("click", function () {
        var id = button.getAttribute("data-select");
        var ids = storedSelection(store);
        var at = ids.indexOf(id);
        if (at >= 0) ids.splice(at, 1);
        else ids.push(id);
        storeSelection(store, ids);
        show();
      });
    });
    window.addEventListener("storage", function (event) { if (event.key === SELECTION_KEY) show(); });
    show();
  }

  /* A fetched practice page's article, made part of this document: ids prefixed (several practices share them),
     links and images resolved against its own address, headings one level down, the page's own controls left out. */
  function selectionArticle(article, id, pageUrl) {
    var prefix = "hb-s-" + id + "-";
    Array.prototype.forEach.call(article.querySelectorAll(".hb-practice__actions, .hb-sections, .hb-practice__footer, .hb-card__search-words, .headerlink, script"), function (node) {
      node.parentNode.removeChild(node);
    });
    Array.prototype.forEach.call(article.querySelectorAll("[id]"), function (node) { node.id = prefix + node.id; });
    Array.prototype.forEach.call(article.querySelectorAll("[aria-labelledby], [aria-describedby], label[for]"), function (node) {
      ["aria-labelledby", "aria-describedby", "for"].forEach(function (name) {
        var value = node.getAttribute(name);
        if (value) node.setAttribute(name, value.split(/\s+/).map(function (part) { return prefix + part; }).join(" "));
      });
    });
    Array.prototype.forEach.call(article.querySelectorAll("a[href]"), function (link) {
      var href = link.getAttribute("href");
      link.setAttribute("href", href.charAt(0) === "#" ? "#" + prefix + href.slice(1) : new URL(href, pageUrl).href);
    });
    Array.prototype.forEach.call(article.querySelectorAll("img[src]"), function (image) {
      image.setAttribute("src", new URL(image.getAttribute("src"), pageUrl).href);
    });
    Array.prototype.forEach.call(article.querySelectorAll("details"), function (details) { details.open = true; });
    Array.prototype.forEach.call(article.querySelectorAll("h5, h4, h3, h2, h1"), function (heading) {
      var lower = document.createElement("h" + (Number(heading.tagName.charAt(1)) + 1));
      Array.prototype.forEach.call(heading.attributes, function (attribute) { lower.setAttribute(attribute.name, attribute.value); });
      while (heading.firstChild) lower.appendChild(heading.firstChild);
      heading.parentNode.replaceChild(lower, heading);
    });
    return article;
  }

  /* The selection page: the reader's selection, or a shared link's (?ids=a,b,c), fetched from the practices'
     own pages (same origin) and shown in order, with a contents list; each starts a new page on paper. */
  function selectionPage() {
    var root = document.getElementById("hb-selection");
    var known = document.getElementById("hb-selection-known");
    if (!root || !known) return;
    var entries = {};
    Array.prototype.forEach.call(known.children, function (item) {
      entries[item.getAttribute("data-id")] = { title: item.textContent, url: new URL(item.getAttribute("data-url"), location.href).href };
    });
    var store = storage();
    var query = new URLSearchParams(location.search).get("ids");
    var shared = query !== null;
    var asked = shared ? query.slice(0, SELECTION_MAX_QUERY).split(",") : (store ? storedSelection(store) : []);
    var ids = [];
    asked.forEach(function (raw) {
      var id = raw.trim();
      if (Object.prototype.hasOwnProperty.call(entries, id) && ids.indexOf(id) < 0) ids.push(id);
    });
    var app = document.getElementById("hb-selection-app");
    var practices = document.getElementById("hb-selection-practices");
    var toc = document.getElementById("hb-selection-toc");
    var link = document.getElementById("hb-selection-link");
    app.hidden = false;
    document.getElementById("hb-selection-skipped").hidden = ids.length === asked.filter(function (raw) { return raw.trim(); }).length;
    var sharedNote = document.getElementById("hb-selection-shared");
    sharedNote.hidden = !shared || !ids.length;
    var keep = document.getElementById("hb-selection-keep");
    keep.hidden = !store;
    keep.addEventListener("click", function () {
      storeSelection(store, ids);
      history.replaceState(null, "", location.pathname);
      sharedNote.hidden = true;
      render(false);
    });
    document.getElementById("hb-selection-print").addEventListener("click", function () { window.print(); });

    function render(asShared) {
      var shareUrl = new URL(location.pathname, location.href);
      shareUrl.search = "?ids=" + ids.map(encodeURIComponent).join(",");
      link.value = shareUrl.href;
      document.getElementById("hb-selection-empty").hidden = ids.length > 0;
      document.getElementById("hb-selection-tools").hidden = ids.length === 0;
      document.getElementById("hb-selection-contents").hidden = ids.length === 0;
      toc.textContent = "";
      ids.forEach(function (id) {
        var item = document.createElement("li");
        var anchor = document.createElement("a");
        anchor.href = "#hb-s-" + id;
        anchor.textContent = entries[id].title;
        item.appendChild(anchor);
        toc.appendChild(item);
      });
      Array.prototype.forEach.call(practices.querySelectorAll("[data-remove]"), function (button) { button.hidden = asShared; });
      practices.setAttribute("data-count", String(ids.length));
    }

    function remove(id) {
      ids.splice(ids.indexOf(id), 1);
      storeSelection(store, ids);
      var section = document.getElementById("hb-s-" + id);
      if (section) section.parentNode.removeChild(section);
      render(false);
      (ids.length ? document.getElementById("hb-selection-contents-title") : document.getElementById("hb-selection-empty")).focus();
    }

    function section(id) {
      var wrapper = document.createElement("section");
      wrapper.className = "hb-selection__item";
      wrapper.id = "hb-s-" + id;
      wrapper.setAttribute("aria-label", entries[id].title);
      var bar = document.createElement("p");
      bar.className = "hb-selection__item-bar";
      var button = document.createElement("button");
      button.type = "button";
      button.className = "hb-button";
      button.setAttribute("data-remove", id);
      button.textContent = root.getAttribute("data-remove-label");
      var name = document.createElement("span");
      name.className = "hb-visually-hidden";
      name.textContent = ": " + entries[id].title;
      button.appendChild(name);
      button.addEventListener("click", function () { remove(id); });
      bar.appendChild(button);
      wrapper.appendChild(bar);
      return wrapper;
    }

    function failed(wrapper, id) {
      var note = document.createElement("p");
      note.className = "hb-selection__failed";
      note.textContent = root.getAttribute("data-failed-label") + " ";
      var anchor = document.createElement("a");
      anchor.href = entries[id].url;
      anchor.textContent = entries[id].title;
      note.appendChild(anchor);
      wrapper.appendChild(note);
    }

    render(shared);
    document.getElementById("hb-selection-contents-title").tabIndex = -1;
    document.getElementById("hb-selection-empty").tabIndex = -1;
    practices.setAttribute("aria-busy", "true");
    var wrappers = ids.map(function (id) {
      var wrapper = section(id);
      practices.appendChild(wrapper);
      return wrapper;
    });
    render(shared);
    Promise.all(ids.map(function (id, index) {
      return fetch(entries[id].url, { credentials: "same-origin" }).then(function (response) {
        if (!response.ok) throw new Error(String(response.status));
        return response.text();
      }).then(function (text) {
        var page = new DOMParser().parseFromString(text, "text/html");
        var article = page.querySelector("article.hb-practice");
        if (!article) throw new Error("no article");
        wrappers[index].appendChild(selectionArticle(document.importNode(article, true), id, entries[id].url));
      }).catch(function () { failed(wrappers[index], id); });
    })).then(function () {
      practices.removeAttribute("aria-busy");
      practices.setAttribute("data-state", "ready");
    });
  }

  catalogue();
  practiceCard();
  selectionButtons();
  selectionPage();
  search();
  languageSwitch();
  offline();
})();
