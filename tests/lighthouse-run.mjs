// Lighthouse 12 over the given addresses in one Debian Chromium (one launch for all pages; each run resets the
// page's storage and cache as the command does). Usage: node tests/lighthouse-run.mjs CHROMIUM OUTDIR CATEGORIES URL...
// writes OUTDIR/report-<n>.json, the JSON report of the n-th address (tests/test_lighthouse.py).
import fs from "node:fs";
import path from "node:path";
import * as chromeLauncher from "chrome-launcher";
import lighthouse from "lighthouse";

const [chromePath, outdir, categories, ...urls] = process.argv.slice(2);
const chrome = await chromeLauncher.launch({ chromePath, chromeFlags: ["--headless=new", "--no-sandbox", "--disable-gpu"] });
try {
  for (const [index, url] of urls.entries()) {
    // No screenshots: they carry no weight in any score and take a good part of each run.
    const flags = { port: chrome.port, output: "json", logLevel: "error", onlyCategories: categories.split(","), disableFullPageScreenshot: true };
    const config = { extends: "lighthouse:default", settings: { skipAudits: ["screenshot-thumbnails", "final-screenshot"] } };
    const result = await lighthouse(url, flags, config);
    if (!result) throw new Error(`no Lighthouse result for ${url}`);
    fs.writeFileSync(path.join(outdir, `report-${index}.json`), result.report);
  }
} finally {
  await chrome.kill();
}
