// Per-keystroke search on a phone for `make bench-scale`: headless Chromium with the CPU
// slowed 4× (DevTools CPU throttling), the search page of the largest county, a citizen
// typing queries one character at a time. For each keystroke: from the input event until
// the app has searched and updated the results (the next task after the effects ran).
// Five runs on fresh pages (BENCH_RUNS). Prints one JSON line: keystrokes, the median
// keystroke, the slowest keystroke by its median over the runs, the median of the runs'
// slowest (and each run's slowest, with what was typed), the index's entries.
// Usage: BASE_URL=… node scripts/bench-search.mjs
import { chromium } from 'playwright-core';

const base = process.env.BASE_URL;
const QUERIES = ['营业执照', 'yyzz', 'dibao', '不动产登记', 'hukou', '社保卡补办'];

const summary = await (await fetch(`${base}/api/v1/halls`)).json();
const perArea = new Map();
summary.halls.forEach((hall, i) => {
  const area = hall.county ?? hall.id;
  perArea.set(area, (perArea.get(area) ?? 0) + summary.counts[i]);
});
const [area] = [...perArea.entries()].sort((a, b) => b[1] - a[1])[0];

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu'],
});

// One citizen: a fresh page (the first keystroke pays for what a page does once), the
// queries typed a character at a time. Returns [text typed, milliseconds] per keystroke.
async function typeQueries() {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, locale: 'zh-CN' });
  const page = await context.newPage();
  const indexLoaded = page.waitForResponse((r) => r.url().includes('/api/v1/search-index'));
  await page.goto(`${base}/s?hall=${encodeURIComponent(area)}`);
  await page.waitForFunction(() => document.documentElement.dataset.app === 'live');
  const entries = (await (await indexLoaded).json()).e.length;
  // Give the app a moment to parse the index it just downloaded.
  await page.waitForTimeout(500);
  const cdp = await context.newCDPSession(page);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
  const keystrokes = [];
  for (const query of QUERIES) {
    for (let i = 1; i <= query.length; i += 1) {
      const typed = query.slice(0, i);
      keystrokes.push([typed, await page.evaluate((text) => new Promise((resolve) => {
        const input = document.querySelector('#q');
        const started = performance.now();
        input.value = text;
        input.dispatchEvent(new Event('input', { bubbles: true }));
        // Effects run as microtasks; this task comes after them and their DOM updates.
        setTimeout(() => resolve(performance.now() - started), 0);
      }), typed)]);
    }
    const shown = await page.locator('.results .entry-name').count();
    if (shown === 0) console.error(`bench-search: "${query}" found nothing in ${area}`);
  }
  await context.close();
  return { entries, keystrokes };
}

// Five citizens typing the same keystrokes on fresh pages. Each keystroke's cost is the
// median of its five timings, much as Lighthouse takes a median run: a 2-core
// machine throttled 4× adds 20-60 ms to a random keystroke now and then, and the slowest
// of 28 raw timings measures that more than the page. The figures: the median of all
// keystrokes, the slowest keystroke by its median (the goal's figure), and, stricter,
// each run's slowest raw timing and their median.
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
if (!Number.isInteger(RUNS) || RUNS < 1) throw new Error(`BENCH_RUNS must be a whole number ≥ 1, not "${process.env.BENCH_RUNS}"`);
const runs = [];
for (let r = 0; r < RUNS; r += 1) runs.push(await typeQueries());
await browser.close();
const round = (ms) => Math.round(ms * 10) / 10;
const median = (values) => values.slice().sort((a, b) => a - b)[Math.floor(values.length / 2)];
// The [text typed, milliseconds] pair that took longest.
const slowestOf = (keystrokes) => keystrokes.reduce((a, b) => (b[1] > a[1] ? b : a));
const all = runs.flatMap((r) => r.keystrokes.map(([, ms]) => ms));
const perKeystroke = runs[0].keystrokes.map(([text], i) => [text, median(runs.map((r) => r.keystrokes[i][1]))]);
const [slowText, slowMs] = slowestOf(perKeystroke);
const slowest = runs.map((r) => slowestOf(r.keystrokes));
console.log(JSON.stringify({
  search_area: area,
  search_entries: runs[0].entries,
  keystrokes: all.length,
  runs: RUNS,
  keystroke_median_ms: round(median(all)),
  keystroke_slowest_ms: round(slowMs),
  keystroke_slowest: slowText,
  keystroke_max_ms: round(median(slowest.map(([, ms]) => ms))),
  keystroke_max_runs: slowest.map(([text, ms]) => `${text} ${round(ms)}`),
}));
