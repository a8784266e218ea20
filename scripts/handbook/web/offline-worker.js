/* The handbook offline: a service worker at the site's root (scope: the whole site, every language).

   The build (handbook/web/offline.py) writes `BUILD` above this text: the site's version (a digest of its
   files), the date of the copy and, per language, its folder, the line "Offline copy of <date>" and the
   files to keep (its pages, search index, data and the PDFs within the budget), and the files every
   language shares (stylesheets, scripts, icons). Nothing here is read from a page or a response: the
   worker keeps the files the build listed and the same-origin GET responses a reader opened (status 200,
   type "basic"), in one cache per version; an older version's cache is deleted on activate.

   Pages: network first (with a short wait), then the kept copy; every other file: the kept copy first (each
   version has its own cache, so a kept file is of this build). A page without the manifest link (`mkdocs serve`
   at this address) sends "hb-offline-drop": the worker then stops answering, unregisters and deletes its caches. */
"use strict";

var CACHE = "hb-offline-" + BUILD.version;
var PREFIX = "hb-offline-";
var PAGE_WAIT = 4000; /* ms before a page falls back to the kept copy on a slow network */
var SCOPE = new URL(self.registration.scope);
var servedFromCache = new Set(); /* the clients (page loads) whose page came from the cache */
var dropped = false; /* a page without the manifest (a preview at this address) asked the worker to go */

function dropCaches() {
  return caches.keys().then(function (names) {
    return Promise.all(names.filter(function (name) { return name.indexOf(PREFIX) === 0; }).map(function (name) { return caches.delete(name); }));
  });
}

function languageOf(url) {
  var path = new URL(url).pathname;
  if (path.indexOf(SCOPE.pathname) !== 0) return null;
  var rest = path.slice(SCOPE.pathname.length);
  var found = BUILD.defaultLanguage;
  Object.keys(BUILD.languages).forEach(function (language) {
    var folder = BUILD.languages[language].folder;
    if (folder && rest.indexOf(folder) === 0) found = language;
  });
  return found;
}

function keepable(request, response) {
  return request.method === "GET" && response && response.status === 200 && response.type === "basic" &&
    !response.redirected && new URL(response.url || request.url).origin === SCOPE.origin;
}

/* Fetch and keep the files of these languages (and the shared ones) that the cache does not hold yet; once every
   one is in the cache, mark the languages kept. A file that fails makes the whole step fail: the install is then
   tried again on the next visit, a language added later on its next page. */
function keep(languages) {
  return caches.open(CACHE).then(function (cache) {
    var paths = BUILD.shared.slice();
    languages.forEach(function (language) { paths = paths.concat(BUILD.languages[language].files); });
    var queue = paths.map(function (path) { return new URL(path, SCOPE).href; });
    var all = queue.slice();
    function next() {
      var url = queue.shift();
      if (url === undefined) return Promise.resolve();
      if (dropped) return Promise.reject(new Error("dropped"));
      return cache.match(url).then(function (found) {
        if (found) return undefined;
        var request = new Request(url, { cache: "no-cache", credentials: "same-origin" });
        return fetch(request).then(function (response) {
          if (!keepable(request, response)) throw new Error("not kept: " + url + " (" + response.status + ")");
          return cache.put(url, response);
        });
      }).then(next);
    }
    return Promise.all([next(), next(), next(), next()]).then(function () { /* four at a time */
      return Promise.all(all.map(function (url) { return cache.match(url); }));
    }).then(function (found) {
      var missing = all.filter(function (url, index) { return !found[index]; });
      if (missing.length) throw new Error("not kept: " + missing.join(", "));
      return Promise.all(languages.map(function (language) { return cache.put(keptMark(language), new Response("")); }));
    });
  });
}

/* A language is kept once all its files are: a mark in the cache, at an address no page requests. */
function keptMark(language) {
  return self.location.origin + self.location.pathname + "?kept=" + encodeURIComponent(language);
}

function keeps(language) {
  return caches.open(CACHE).then(function (cache) { return cache.match(keptMark(language)); }).then(Boolean);
}

self.addEventListener("install", function (event) {
  event.waitUntil(self.clients.matchAll({ type: "window", includeUncontrolled: true }).then(function (clients) {
    var languages = [];
    clients.forEach(function (client) {
      var language = languageOf(client.url);
      if (language && languages.indexOf(language) < 0) languages.push(language);
    });
    return keep(languages.length ? languages : [BUILD.defaultLanguage]);
  }).then(function () { return self.skipWaiting(); }));
});

self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (names) {
    return Promise.all(names.filter(function (name) { return name.indexOf(PREFIX) === 0 && name !== CACHE; })
      .map(function (name) { return caches.delete(name); }));
  }).then(function () { return self.clients.claim(); }));
});

function page(event) {
  var request = event.request;
  var key = new URL(request.url);
  key.search = "";
  key.hash = "";
  var network = fetch(request);
  event.waitUntil(network.then(function (response) {
    if (!keepable(request, response) || dropped) return undefined;
    var copy = response.clone(); /* now, before the page reads the body */
    return caches.open(CACHE).then(function (cache) { return cache.put(key.href, copy); });
  }).catch(function () {}));
  var waited = new Promise(function (resolve) { setTimeout(resolve, PAGE_WAIT, null); });
  function kept() {
    return caches.open(CACHE).then(function (cache) { return cache.match(key.href); }).then(function (found) {
      if (found && event.resultingClientId) servedFromCache.add(event.resultingClientId);
      return found;
    });
  }
  var language = languageOf(request.url);
  if (language) {
    event.waitUntil(keeps(language).then(function (kept) { return kept ? undefined : keep([language]); }).catch(function () {}));
  }
  return Promise.race([network, waited]).then(function (response) {
    return response || kept().then(function (found) { return found || network; });
  }, function () {
    return kept().then(function (found) { return found || network; });
  });
}

/* A file: the kept copy, else the network (kept if it has no query: a query, like Pagefind's `?ts=`, would pile up
   copies), else, without a network, the kept copy of the same file without its query. */
function file(event) {
  var request = event.request;
  return caches.open(CACHE).then(function (cache) {
    return cache.match(request).then(function (found) {
      if (found) return found;
      return fetch(request).then(function (response) {
        if (keepable(request, response) && !request.headers.has("range") && !new URL(request.url).search) {
          var copy = response.clone();
          event.waitUntil(cache.put(request, copy));
        }
        return response;
      }, function (error) {
        return cache.match(request, { ignoreSearch: true }).then(function (same) {
          if (same) return same;
          throw error;
        });
      });
    });
  });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  var url = new URL(request.url);
  if (dropped || request.method !== "GET" || url.origin !== SCOPE.origin || url.pathname.indexOf(SCOPE.pathname) !== 0) return;
  event.respondWith(request.mode === "navigate" ? page(event) : file(event));
});

/* A page asks how it was served: the worker answers with the line for its language when it came from the cache. */
self.addEventListener("message", function (event) {
  if (event.data && event.data.type === "hb-offline-drop") {
    dropped = true;
    event.waitUntil(self.registration.unregister().then(dropCaches));
    return;
  }
  if (!event.data || event.data.type !== "hb-offline-status" || !event.source) return;
  var language = languageOf(event.source.url) || BUILD.defaultLanguage;
  var cached = servedFromCache.has(event.source.id);
  event.source.postMessage({
    type: "hb-offline-status",
    cached: cached,
    version: BUILD.version,
    date: BUILD.date,
    line: BUILD.languages[language].line
  });
});
