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
      autofocus: true
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
    navigator.serviceWorker.register(new URL(link.getAttribute("data-hb-worker"), location.href).href, { updateViaCache: "none" })
      .then(ask, function () {});
    window.addEventListener("offline", ask);
  }

  catalogue();
  practiceCard();
  search();
  languageSwitch();
  offline();
})();
