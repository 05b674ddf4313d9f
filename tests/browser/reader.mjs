// Browser test of the site's reader features, search and the comparison
// of any two editions, in Debian's chromium through playwright-core. Run
// by tests/cli/test_site_reader.rs:
//
//   node reader.mjs SITE_DIR ARTEFACTS_DIR EXPECTED_JSON
//
// SITE_DIR holds a site of more than 30 editions (so most pairs have no
// page of their own); EXPECTED_JSON says what to find:
//   { "pairs": [{ "from", "to", "statuses": { item id: status } }],
//     "word": a word found in many items, some of them withdrawn }
// where each pair's statuses are `livedoc diff FROM TO --format json`'s,
// unchanged items left out. The site is served over HTTP from here (the
// comparison page fetches), and opened from disk once for its fallback.
// Prints one JSON object with what it found; exits 1 when a check fails.
import { chromium } from 'playwright-core';
import { pathToFileURL, fileURLToPath } from 'node:url';
import { readFileSync, existsSync, statSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';

const [site, artefacts, expectedFile] = process.argv.slice(2);
const expected = JSON.parse(readFileSync(expectedFile, 'utf8'));
const result = { checks: {}, console_errors: [], page_errors: [] };
const fail = [];
const check = (name, ok, detail) => {
  result.checks[name] = { ok, detail };
  if (!ok) fail.push(name);
};

// A static server of SITE_DIR on the loopback address.
const types = { '.html': 'text/html; charset=utf-8', '.json': 'application/json', '.xml': 'application/xml', '.css': 'text/css' };
const root = path.resolve(site);
const server = http.createServer((req, res) => {
  const rel = decodeURIComponent(new URL(req.url, 'http://x').pathname);
  const file = path.join(root, rel.endsWith('/') ? rel + 'index.html' : rel);
  if (!file.startsWith(root + path.sep) || !existsSync(file) || !statSync(file).isFile()) {
    res.writeHead(404); res.end('not found'); return;
  }
  res.writeHead(200, { 'content-type': types[path.extname(file)] || 'application/octet-stream' });
  res.end(readFileSync(file));
});
await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
const base = `http://127.0.0.1:${server.address().port}/`;

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync',
    '--disable-quic'],
});
const compareUrl = (from, to) => `${base}compare.html?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`;
// The page is done when its status no longer says it is comparing.
const compared = (page) => page.waitForFunction(() => {
  const s = document.getElementById('compare-status').textContent;
  return s && !/^Comparing/.test(s);
});
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  page.on('console', (m) => { if (m.type() === 'error') result.console_errors.push(m.text()); });
  page.on('pageerror', (e) => result.page_errors.push(String(e)));

  // 1. Pairs without a page: the browser's statuses are livedoc diff's.
  const pairs = [];
  for (const p of expected.pairs) {
    const hasPage = existsSync(path.join(site, `diff/${p.from}..${p.to}.html`));
    await page.goto(compareUrl(p.from, p.to));
    await compared(page);
    const got = await page.$$eval('[data-id]', (els) => els.map((e) => [e.getAttribute('data-id'), e.getAttribute('data-status'),
      /By edition/.test(e.querySelector('.meta')?.textContent ?? '')]));
    const seen = Object.fromEntries(got.map(([id, s]) => [id, s]));
    const wrong = [];
    for (const [id, s] of Object.entries(p.statuses)) { if (seen[id] !== s) wrong.push({ id, diff: s, browser: seen[id] ?? null }); }
    for (const [id, s] of Object.entries(seen)) { if (!(id in p.statuses)) wrong.push({ id, diff: null, browser: s }); }
    // Every change but a reordering (which no edition records as such)
    // names the edition that made it.
    const unnamed = got.filter(([, s, named]) => !named && s !== 'moved').map(([id]) => id);
    const statuses = [...new Set(Object.values(p.statuses))].sort();
    pairs.push({ from: p.from, to: p.to, hasPage, items: Object.keys(p.statuses).length, statuses, wrong: wrong.slice(0, 10), wrongCount: wrong.length, unnamed: unnamed.slice(0, 5) });
  }
  result.pairs = pairs;
  check('the pairs compared have no page of their own', pairs.every((p) => !p.hasPage), pairs.map((p) => [p.from, p.to, p.hasPage]));
  check('for each pair the browser finds the statuses of livedoc diff', pairs.every((p) => p.items > 0 && p.wrongCount === 0), pairs);
  check('each change names the edition that made it', pairs.every((p) => p.unnamed.length === 0), pairs.map((p) => p.unnamed));
  check('the pairs compared show several kinds of change', new Set(pairs.flatMap((p) => p.statuses)).size >= 3, pairs.map((p) => p.statuses));
  const insDel = await page.evaluate(() => ({ ins: document.querySelectorAll('[data-status="modified"] ins').length, del: document.querySelectorAll('[data-status="modified"] del').length }));
  check('a modified item shows its insertions and deletions', insDel.ins > 0 && insDel.del > 0, insDel);

  // 2. The index's compare form opens the browser comparison for a pair
  //    without a page, and the page of a pair that has one.
  const [p0] = expected.pairs;
  await page.goto(`${base}index.html`);
  await page.selectOption('#from', p0.from);
  await page.selectOption('#to', p0.to);
  await Promise.all([page.waitForURL('**/compare.html?**'), page.click('form.compare button')]);
  const formUrl = new URL(page.url());
  await compared(page);
  const formCount = await page.locator('[data-id]').count();
  check('the compare form opens compare.html for a pair without a page',
    formUrl.searchParams.get('from') === p0.from && formUrl.searchParams.get('to') === p0.to && formCount === Object.keys(p0.statuses).length,
    { url: page.url(), formCount });

  // 3. Search: a word, filters, pages, marks, withdrawn items.
  const word = expected.word;
  const status = () => page.textContent('#search-status');
  const total = (s) => Number((s.match(/^(\d+) results?/) || [0, -1])[1]);
  await page.goto(`${base}search.html`);
  await page.fill('#q', word);
  await page.press('#q', 'Enter');
  const all = total(await status());
  await page.selectOption('#kind', 'recommendation');
  const recStatus = await status();
  const recs = total(recStatus);
  const kinds = await page.$$eval('#results li', (lis) => lis.map((li) => li.getAttribute('data-kind')));
  check('a filter narrows the results and says so', all > 20 && recs > 20 && recs < all && kinds.every((k) => k === 'recommendation')
    && /among recommendations/.test(recStatus) && /showing 1–20/.test(recStatus), { all, recs, recStatus });
  const afterFilter = new URL(page.url());
  check('the query and filters are in the address', afterFilter.searchParams.get('q') === word && afterFilter.searchParams.get('kind') === 'recommendation', page.url());
  // Every result reachable: page on to the last.
  const titles = new Set();
  let pagesSeen = 0;
  for (;;) {
    pagesSeen++;
    for (const t of await page.$$eval('#results li h2 a', (as) => as.map((a) => a.getAttribute('href')))) titles.add(t);
    if (await page.isDisabled('#next')) break;
    await page.click('#next');
    if (pagesSeen > 500) break;
  }
  const lastStatus = await status();
  const lastUrl = new URL(page.url());
  check('paging reaches the last result', titles.size === recs && pagesSeen === Math.ceil(recs / 20)
    && lastStatus.endsWith(`–${recs}.`) && lastUrl.searchParams.get('page') === String(pagesSeen)
    && (await page.textContent('#page-number')) === `Page ${pagesSeen} of ${pagesSeen}`, { recs, distinct: titles.size, pagesSeen, lastStatus });
  await page.goBack();
  await page.waitForFunction((n) => new URLSearchParams(location.search).get('page') === String(n), pagesSeen - 1);
  const backStatus = await status();
  check('Back goes to the page before', backStatus.includes(`showing ${(pagesSeen - 2) * 20 + 1}–`), backStatus);
  await page.goto(`${base}search.html?q=${encodeURIComponent(word)}`);
  const marks = await page.$$eval('#results mark', (ms) => ms.map((m) => m.textContent.toLowerCase()));
  const stem = word.toLowerCase().slice(0, Math.max(3, word.length - 1));
  check('the words found are marked', marks.length >= 5 && marks.every((m) => m.startsWith(stem)), marks.slice(0, 10));
  await page.screenshot({ path: path.join(artefacts, 'search-1280.png'), fullPage: true });
  await page.selectOption('#withdrawn', 'only');
  const gone = await page.$$eval('#results li', (lis) => lis.map((li) => ({
    withdrawn: li.getAttribute('data-withdrawn'), said: li.querySelector('.withdrawn')?.textContent ?? '', href: li.querySelector('h2 a').getAttribute('href'),
  })));
  check('a withdrawn item is marked and leads to its history', gone.length > 0 && gone.every((g) => g.withdrawn && g.said === `Withdrawn in edition ${g.withdrawn}` && g.href.startsWith('items/')), gone.slice(0, 3));
  await page.selectOption('#withdrawn', 'exclude');
  const present = await page.$$eval('#results li', (lis) => lis.map((li) => ({ w: li.getAttribute('data-withdrawn'), href: li.querySelector('h2 a').getAttribute('href') })));
  check('a present item leads to the latest edition', present.length > 0 && present.every((p) => !p.w && p.href.startsWith('latest.html#')), present.slice(0, 3));
  const label = `Recommendation 2`;
  await page.goto(`${base}search.html?q=${encodeURIComponent(label)}&withdrawn=exclude`);
  const labelled = await page.$$eval('#results li', (lis) => lis.map((li) => ({ t: li.querySelector('h2').textContent, w: li.getAttribute('data-withdrawn') })));
  check('filters apply to a label search', labelled.length > 0 && labelled.every((l) => l.t === label && !l.w), labelled.slice(0, 5));

  // 4. axe-core, WCAG 2.2 AA, at 1280 px and 390 px; nothing overflows.
  const axeSource = readFileSync(path.join(path.dirname(fileURLToPath(import.meta.url)), 'node_modules/axe-core/axe.min.js'), 'utf8');
  const violations = {}, passes = {}, overflow = {};
  const [pa] = expected.pairs;
  for (const width of [1280, 390]) {
    const ctx = await browser.newContext({ bypassCSP: true, viewport: { width, height: 900 } });
    const ap = await ctx.newPage();
    for (const [kind, rel] of Object.entries({ search: `search.html?q=${encodeURIComponent(word)}&kind=recommendation`, compare: `compare.html?from=${pa.from}&to=${pa.to}` })) {
      await ap.goto(base + rel);
      if (kind === 'compare') await compared(ap);
      overflow[`${kind} at ${width}`] = await ap.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      await ap.screenshot({ path: path.join(artefacts, `${kind}-${width}.png`), fullPage: kind === 'search' || width === 390 });
      await ap.evaluate(axeSource);
      const r = await ap.evaluate(() => window.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] } }));
      violations[`${kind} at ${width}`] = r.violations.map((v) => ({ id: v.id, nodes: v.nodes.slice(0, 3).map((n) => n.target.join(' ')) }));
      passes[`${kind} at ${width}`] = r.passes.length;
    }
    await ctx.close();
  }
  check('axe-core finds no WCAG 2.2 AA violation on search and compare', Object.values(violations).every((v) => v.length === 0), violations);
  check('axe-core ran its rules on both pages', Object.values(passes).every((n) => n >= 10), passes);
  check('nothing overflows horizontally at 390 px', Object.values(overflow).every((o) => o <= 0), overflow);

  // 5. Opened from disk, the comparison page says why it cannot compare
  //    and links the consecutive comparison pages between the two.
  const disk = await browser.newPage();
  disk.on('pageerror', (e) => result.page_errors.push(`file: ${e}`));
  await disk.goto(pathToFileURL(path.join(site, 'compare.html')).href + `?from=${pa.from}&to=${pa.to}`);
  const steps = await disk.$$eval('#compare-fallback a', (as) => as.map((a) => a.getAttribute('href')));
  const said = await disk.textContent('#compare-status');
  const ids = JSON.parse(await disk.textContent('#compare-data')).editions.map((e) => e[0]);
  const [a, b] = [ids.indexOf(pa.from), ids.indexOf(pa.to)];
  const wanted = ids.slice(a, b).map((id, k) => `diff/${id}..${ids[a + k + 1]}.html`);
  check('opened from disk, compare.html says so and links the pages between', /from disk/.test(said)
    && wanted.every((w) => steps.includes(w)) && steps.every((s) => existsSync(path.join(site, s))), { said, steps: steps.length, wanted: wanted.length });

  const csp = await page.goto(compareUrl(pa.from, pa.to)).then(() => page.getAttribute('meta[http-equiv="Content-Security-Policy"]', 'content'));
  check('compare.html may fetch from the site and nowhere else', /connect-src 'self';/.test(csp) && /default-src 'none'/.test(csp), csp);
  check('the console shows no errors', result.console_errors.length === 0 && result.page_errors.length === 0, { console: result.console_errors, page: result.page_errors });
} finally {
  await browser.close();
  server.close();
}
result.failed = fail;
console.log(JSON.stringify(result, null, 1));
process.exit(fail.length ? 1 : 0);
