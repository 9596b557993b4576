// One Lighthouse run, for run.py: node lighthouse.mjs URL OUTPUT_BASE CHROME_FLAGS_JSON
// Writes OUTPUT_BASE.report.json and OUTPUT_BASE.report.html. Lighthouse's default config:
// the mobile preset (Moto G Power screen, slow 4G) with simulated throttling. Chrome is the
// one CHROME_PATH names, started with exactly the flags given (plus chrome-launcher's own,
// which turn off its background services) in a fresh profile that is deleted afterwards.
import fs from "node:fs";
import * as chromeLauncher from "chrome-launcher";
import lighthouse from "lighthouse";

const [url, outputBase, flagsJson] = process.argv.slice(2);
const chrome = await chromeLauncher.launch({
  chromePath: process.env.CHROME_PATH,
  chromeFlags: JSON.parse(flagsJson),
  logLevel: "silent",
});
try {
  const result = await lighthouse(url, {
    port: chrome.port,
    output: ["json", "html"],
    logLevel: "error",
    onlyCategories: ["performance", "accessibility", "best-practices", "seo"],
  });
  if (!result) throw new Error("Lighthouse returned no result");
  fs.writeFileSync(`${outputBase}.report.json`, result.report[0]);
  fs.writeFileSync(`${outputBase}.report.html`, result.report[1]);
} finally {
  await chrome.kill();
}
