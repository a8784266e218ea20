// pa11y with the HTML_CodeSniffer runner (WCAG 2 AA) over the given addresses, in one Debian Chromium.
// Usage: node tests/pa11y-run.js CHROMIUM URL... ; prints {url: [issue, ...]} as JSON (tests/test_pa11y.py).
"use strict";
const pa11y = require("pa11y");
const puppeteer = require("puppeteer");

(async () => {
  const [chromium, ...urls] = process.argv.slice(2);
  const browser = await puppeteer.launch({ executablePath: chromium, headless: true, args: ["--no-sandbox", "--disable-gpu"] });
  const results = {};
  try {
    for (const url of urls) {
      // Search results are drawn by Pagefind's script after the page has loaded: wait for them, and for the
      // last placeholder (".pagefind-ui__loading", text in its own colour while a result loads) to be gone.
      // The Bijdragen page is checked with its e-mail route's questions open (the fixture site has an editors' address).
      const actions = url.includes("?q=")
        ? ["wait for element .pagefind-ui__result-link to be visible", "wait for element .pagefind-ui__loading to be removed"]
        : url.includes("/bijdragen/")
          ? ["click element .hb-contribute-questions > summary", "wait for element .hb-contribute-questions pre to be visible"]
          : [];
      const result = await pa11y(url, { browser, runners: ["htmlcs"], standard: "WCAG2AA", timeout: 60000, actions });
      results[url] = result.issues;
    }
  } finally {
    await browser.close();
  }
  process.stdout.write(JSON.stringify(results));
})().catch((error) => {
  console.error(error);
  process.exit(2);
});
