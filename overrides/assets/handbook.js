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
      var search = query.toString();
      history.replaceState(null, "", search ? "?" + search : location.pathname);
    }

    var query = new URLSearchParams(location.search);
    inputs.forEach(function (input) {
      input.checked = query.getAll(input.name).indexOf(input.value) >= 0;
      if (input.checked) input.closest("details").open = true;
    });
    /* The filter panel is open on a wide screen; on a phone it stays closed so the results come first. */
    var panel = document.getElementById("hb-filter-panel");
    if (panel && window.matchMedia("(min-width: 60em)").matches) panel.open = true;
    form.addEventListener("change", update);
    form.addEventListener("submit", function (event) { event.preventDefault(); update(); });
    document.getElementById("hb-clear").addEventListener("click", function (event) {
      event.preventDefault();
      inputs.forEach(function (input) { input.checked = false; });
      update();
    });
    update();
  }

  function search() {
    var element = document.getElementById("hb-search");
    if (!element || typeof PagefindUI === "undefined") return;
    var bundle = element.getAttribute("data-bundle");
    var root = new URL(bundle + "../", location.href).pathname;
    var ui = new PagefindUI({
      element: "#hb-search",
      bundlePath: bundle,
      baseUrl: root,
      showImages: false,
      resetStyles: false,
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

  catalogue();
  search();
  languageSwitch();
})();
