// Runs Lighthouse on several pages in one process, in a Chromium that is already
// running (.ci/lighthouse starts it), so that Node, Lighthouse and the browser start
// once rather than once per page.
//
//   node .ci/lighthouse-pages.mjs <chromium debugging port> <runs.json>
//
// runs.json: [{"url": ..., "language": "ko", "report": "/path/report.json"}, ...]. Each
// report is written as Lighthouse's JSON; a run that fails writes {"error": message}.
import { readFileSync, writeFileSync } from "node:fs";
import lighthouse from "lighthouse";

const [port, runsFile] = process.argv.slice(2);
const runs = JSON.parse(readFileSync(runsFile, "utf8"));
const categories = ["performance", "accessibility", "best-practices", "seo"];

for (const run of runs) {
  const flags = {
    port: Number(port),
    output: "json",
    logLevel: "error",
    onlyCategories: categories,
    extraHeaders: { "Accept-Language": run.language },
    disableFullPageScreenshot: true,
  };
  let report;
  // Lighthouse sometimes loses a page load's trace (NO_NAVSTART): one more try.
  for (let attempt = 1; attempt <= 2; attempt += 1) {
    try {
      const result = await lighthouse(run.url, flags);
      if (result.lhr.runtimeError && attempt < 2) continue;
      report = result.lhr.runtimeError
        ? JSON.stringify({ error: result.lhr.runtimeError.message })
        : result.report;
      break;
    } catch (error) {
      report = JSON.stringify({ error: String(error) });
    }
  }
  writeFileSync(run.report, report);
  process.stdout.write(".");
}
process.stdout.write("\n");
