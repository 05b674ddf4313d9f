// Browser test of a generated livedoc site, in Debian's chromium through
// playwright-core. Run by tests/cli/test_site.rs:
//
//   node site.mjs SITE_DIR HOSTILE_SITE_DIR ARTEFACTS_DIR FROM TO
//
// SITE_DIR holds a site with at least two editions (FROM older than TO);
// HOSTILE_SITE_DIR a site whose recommendation text carries <script>,
// <img onerror> and a javascript: link. Prints one JSON object with what it
// found; exits 1 when a check fails (the Rust test shows the JSON).
import { chromium } from 'playwright-core';
import { pathToFileURL } from 'node:url';
import path from 'node:path';

const [site, hostile, artefacts, from, to] = process.argv.slice(2);
const url = (dir, rel) => pathToFileURL(path.join(dir, rel)).href;
const result = { checks: {}, console_errors: [], page_errors: [] };
const fail = [];
const check = (name, ok, detail) => {
  result.checks[name] = { ok, detail };
  if (!ok) fail.push(name);
};

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync',
    '--disable-quic'],
});
try {
  const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
  page.on('console', (m) => { if (m.type() === 'error') result.console_errors.push(m.text()); });
  page.on('pageerror', (e) => result.page_errors.push(String(e)));

  // 1. The index lists the editions.
  await page.goto(url(site, 'index.html'));
  const listed = await page.$$eval('table tbody tr td:first-child a', (as) => as.map((a) => a.textContent));
  check('index lists the editions', listed.includes(from) && listed.includes(to), listed);
  await page.screenshot({ path: path.join(artefacts, 'index.png'), fullPage: true });

  // 2. A diff page shows insertions and deletions.
  await page.goto(url(site, `diff/${from}..${to}.html`));
  const ins = await page.locator('ins').count();
  const del = await page.locator('del').count();
  check('diff page shows insertions and deletions', ins > 0 && del > 0, { ins, del });
  const hidden = await page.$$eval('ins .visually-hidden, del .visually-hidden', (s) => s.length);
  check('insertions and deletions are named for screen readers', hidden === ins + del, { hidden });
  await page.screenshot({ path: path.join(artefacts, 'diff.png'), fullPage: true });

  // 3. Following an item permalink lands on that item.
  await page.goto(url(site, `editions/${to}.html`));
  const first = page.locator('article.item').nth(3);
  const anchor = await first.getAttribute('id');
  await first.locator('a.permalink').first().click();
  const landed = await page.evaluate((id) => {
    const el = document.getElementById(id);
    const r = el.getBoundingClientRect();
    return { hash: location.hash, top: r.top, target: el.matches(':target') };
  }, anchor);
  check('a permalink lands on its item', landed.hash === `#${anchor}` && landed.target && landed.top > -2 && landed.top < 900, landed);
  // ... and from the item's own page back to it in an edition.
  await first.locator('a.permalink', { hasText: 'history' }).click();
  await page.locator('ol.timeline a').last().click();
  const back = await page.evaluate((id) => ({ hash: location.hash, target: document.getElementById(id)?.matches(':target') }), anchor);
  check('the item page links back to the item', back.hash === `#${anchor}` && back.target === true, back);

  // 4. The compare form opens the right page.
  await page.goto(url(site, 'index.html'));
  await page.selectOption('#from', from);
  await page.selectOption('#to', to);
  await Promise.all([page.waitForURL(`**/diff/${from}..${to}.html`), page.click('form.compare button')]);
  check('the compare form opens the right page', page.url().endsWith(`/diff/${from}..${to}.html`), page.url());

  // 5. Hostile text renders inert.
  const evil = await browser.newPage();
  evil.on('console', (m) => { if (m.type() === 'error') result.console_errors.push(`hostile: ${m.text()}`); });
  evil.on('pageerror', (e) => result.page_errors.push(`hostile: ${e}`));
  evil.on('dialog', (d) => { result.page_errors.push(`hostile dialog: ${d.message()}`); d.dismiss(); });
  const editions = ['index.html'];
  await evil.goto(url(hostile, 'index.html'));
  const hostileEditions = await evil.$$eval('table tbody tr td:first-child a', (as) => as.map((a) => a.getAttribute('href')));
  editions.push(...hostileEditions);
  let ran = [];
  let scripts = 0;
  let badLinks = 0;
  for (const rel of editions) {
    await evil.goto(url(hostile, rel));
    ran.push(await evil.evaluate(() => window.__pwned ?? null));
    scripts += await evil.$$eval('main script:not(#pairs), main img, main iframe', (s) => s.length);
    badLinks += await evil.$$eval('a[href]', (as) => as.filter((a) => !/^(https?:|mailto:|#|\.\.?\/|[a-z0-9._-]+(\/|\.html|\.xml|\.json))/i.test(a.getAttribute('href'))).length);
    // Click what looks like the javascript: link; it must do nothing.
    const lure = evil.locator('text=click me').first();
    if (await lure.count()) { await lure.click(); ran.push(await evil.evaluate(() => window.__pwned ?? null)); }
  }
  check('hostile text ran no script', ran.every((r) => r === null), ran);
  check('hostile text made no script or image element', scripts === 0, { scripts });
  check('no javascript: or other unsafe link survived', badLinks === 0, { badLinks });

  check('the console shows no errors', result.console_errors.length === 0 && result.page_errors.length === 0,
    { console: result.console_errors, page: result.page_errors });
} finally {
  await browser.close();
}
result.ok = fail.length === 0;
result.failed = fail;
console.log(JSON.stringify(result, null, 2));
process.exit(fail.length === 0 ? 0 : 1);
