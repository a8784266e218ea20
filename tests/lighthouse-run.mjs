// Lighthouse 12 over the given addresses in one Debian Chromium (one launch for all pages; each run resets the
// page's storage and cache as the command does). Usage: node tests/lighthouse-run.mjs CHROMIUM OUTDIR CATEGORIES URL...
// writes OUTDIR/report-<n>.json, the JSON report of the n-th address (tests/test_lighthouse.py).
//
// The CPU slowdown is calibrated as Lighthouse's throttling guide (docs/throttling.md, "Calibrating the CPU
// slowdown") advises: its default 4x takes a high-end desktop (BenchmarkIndex 1500-2000) to a mid-tier phone. A run
// whose host measured below that bracket (a loaded or slower machine) is run again with the slowdown scaled to its
// BenchmarkIndex, so that it still emulates the same phone; never above the default, never below 1x.
import fs from "node:fs";
import path from "node:path";
import * as chromeLauncher from "chrome-launcher";
import lighthouse from "lighthouse";
import { throttling } from "lighthouse/core/config/constants.js";

const DEFAULT_SLOWDOWN = throttling.mobileSlow4G.cpuSlowdownMultiplier; // 4
const HIGH_END_DESKTOP = 1500; // the lower end of the bracket the default slowdown is made for

const [chromePath, outdir, categories, ...urls] = process.argv.slice(2);
const chrome = await chromeLauncher.launch({ chromePath, chromeFlags: ["--headless=new", "--no-sandbox", "--disable-gpu"] });

async function audit(url, cpuSlowdownMultiplier) {
  // No screenshots: they carry no weight in any score and take a good part of each run.
  const flags = { port: chrome.port, output: "json", logLevel: "error", onlyCategories: categories.split(","), disableFullPageScreenshot: true };
  const settings = { skipAudits: ["screenshot-thumbnails", "final-screenshot"], throttling: { ...throttling.mobileSlow4G, cpuSlowdownMultiplier } };
  const result = await lighthouse(url, flags, { extends: "lighthouse:default", settings });
  if (!result) throw new Error(`no Lighthouse result for ${url}`);
  return result;
}

try {
  for (const [index, url] of urls.entries()) {
    let result = await audit(url, DEFAULT_SLOWDOWN);
    const benchmark = result.lhr.environment.benchmarkIndex;
    if (benchmark < HIGH_END_DESKTOP) {
      const slowdown = Math.max(1, (DEFAULT_SLOWDOWN * benchmark) / HIGH_END_DESKTOP);
      result = await audit(url, slowdown);
    }
    fs.writeFileSync(path.join(outdir, `report-${index}.json`), result.report);
  }
} finally {
  await chrome.kill();
}
