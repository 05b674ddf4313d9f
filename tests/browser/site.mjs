// Browser test of a generated livedoc site, in Debian's chromium through
// playwright-core. Run by tests/cli/test_site.rs:
//
//   node site.mjs SITE_DIR HOSTILE_SITE_DIR ARTEFACTS_DIR FROM TO CONTENTS_SITE_DIR
//
// SITE_DIR holds a site of three editions or more (FROM older than TO, at
// least one between them, and changes made by two of them);
// HOSTILE_SITE_DIR a site whose recommendation text carries <script>,
// <img onerror> and a javascript: link; CONTENTS_SITE_DIR the same store's
// site with --edition-pages contents. Prints one JSON object with what it
// found; exits 1 when a check fails (the Rust test shows the JSON).
import { chromium } from 'playwright-core';
import { pathToFileURL, fileURLToPath } from 'node:url';
import { readFileSync } from 'node:fs';
import path from 'node:path';

const [site, hostile, artefacts, from, to, contents] = process.argv.slice(2);
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

  // 3b. Cite this: the permanent address shows the item's page, the dated
  // address lands on the item in that edition.
  await page.goto(url(site, `editions/${to}.html`));
  await page.locator('article.item').nth(3).locator('a.permalink', { hasText: 'history' }).click();
  const cited = await page.$$eval('aside.cite code', (cs) => cs.map((c) => c.textContent));
  const [citedPage, citedAnchor] = cited[1].split('#');
  await page.goto(`${url(site, citedPage)}#${citedAnchor}`);
  const datedOk = await page.evaluate((id) => document.getElementById(id)?.matches(':target') === true, citedAnchor);
  await page.goto(url(site, cited[0]));
  const permanentOk = (await page.locator('aside.cite').count()) === 1;
  check('cite this gives a permanent address and a dated one that lands on the item',
    cited.length === 2 && datedOk && permanentOk && citedAnchor === anchor, { cited, datedOk, permanentOk });

  // 3c. On a site whose editions are contents, a meeting's page shows its
  // text as it stood in an older edition, from the history it carries.
  if (contents) {
    await page.goto(url(contents, `editions/${from}.html`));
    const meetingHref = await page.locator('ul.contents a').first().getAttribute('href');
    const [meetingPath, meetingQuery] = meetingHref.split('?');
    await page.goto(`${new URL(meetingPath, url(contents, `editions/${from}.html`)).href}?${meetingQuery}`);
    const shown = await page.evaluate(() => ({
      heading: document.getElementById('text-heading')?.textContent,
      items: document.querySelectorAll('#text article.item').length,
    }));
    check('a meeting page shows its text in an older edition', shown.heading === `Its text in edition ${from}` && shown.items > 0, shown);
  }

  // 4. The compare form opens the right page.
  await page.goto(url(site, 'index.html'));
  await page.selectOption('#from', from);
  await page.selectOption('#to', to);
  await Promise.all([page.waitForURL(`**/diff/${from}..${to}.html`), page.click('form.compare button')]);
  check('the compare form opens the right page', page.url().endsWith(`/diff/${from}..${to}.html`), page.url());

  // 5. Search finds a word and a label, and a result leads to its item.
  await page.goto(url(site, 'search.html'));
  await page.fill('#q', 'firearms');
  await page.press('#q', 'Enter');
  const wordHits = await page.locator('#results li').count();
  await page.screenshot({ path: path.join(artefacts, 'search.png') });
  const firstHit = page.locator('#results h2 a').first();
  const hitHref = await firstHit.getAttribute('href');
  await firstHit.click();
  await page.waitForLoadState('load');
  const hitLanded = await page.evaluate(() => {
    const el = location.hash && document.getElementById(decodeURIComponent(location.hash.slice(1)));
    return { url: location.href, found: !!el, text: el ? el.textContent.slice(0, 400) : '' };
  });
  check('search finds a word and a result leads to it', wordHits > 0 && hitLanded.found && /firearms/i.test(hitLanded.text), { wordHits, hitHref, hitLanded });
  await page.goto(url(site, 'search.html') + '?q=' + encodeURIComponent('Recommendation 14'));
  const labelHits = await page.$$eval('#results h2 a', (as) => as.map((a) => a.textContent));
  await page.locator('#results h2 a').first().click();
  await page.waitForLoadState('load');
  const labelLanded = await page.evaluate(() => {
    const el = document.getElementById(decodeURIComponent(location.hash.slice(1)));
    return { target: !!el && el.matches(':target'), heading: el ? el.querySelector('h5, h3')?.textContent : null };
  });
  check('search finds a label and leads to that item', labelHits.length >= 1 && labelHits.every((t) => t === 'Recommendation 14')
    && labelLanded.target && /Recommendation 14/.test(labelLanded.heading || ''), { labelHits, labelLanded });

  // 6. A diff over three editions says which edition made each change.
  await page.goto(url(site, `diff/${from}..${to}.html`));
  const attributed = await page.$$eval('ul.items > li', (lis) => lis.map((li) => ({
    head: li.querySelector('.item-head')?.textContent ?? '',
    by: li.querySelector('.attribution')?.textContent ?? null,
    history: !!li.querySelector('a.history'),
  })));
  const named = new Set(attributed.flatMap((a) => (a.by ?? '').replace(/.*in editions? /, '').split(/,\s*/).filter(Boolean)));
  check('a diff over three editions attributes every change to the edition that made it',
    named.size >= 2 && !named.has(from)
    && attributed.filter((a) => !/moved to/.test(a.head)).every((a) => a.by !== null && /in editions? /.test(a.by) && a.history),
    { named: [...named], items: attributed.slice(0, 8) });
  const jump = await page.$$eval('nav.jump a', (as) => as.map((a) => a.getAttribute('href')));
  const jumpOk = await page.evaluate((hrefs) => hrefs.every((h) => document.getElementById(decodeURIComponent(h.slice(1)))), jump);
  check('the jump list on top leads to every changed meeting', jump.length > 0 && jumpOk, jump);

  // 7. Without JavaScript: the comparison list and the search page still serve.
  const noscript = await browser.newContext({ javaScriptEnabled: false });
  const plain = await noscript.newPage();
  await plain.goto(url(site, 'index.html'));
  await plain.click('details.comparisons summary');
  await plain.click(`details.comparisons a[href="diff/${from}..${to}.html"]`);
  await plain.waitForLoadState('load');
  const plainDiff = { url: plain.url(), h1: await plain.textContent('h1') };
  await plain.goto(url(site, 'search.html'));
  const plainSearch = await plain.locator('noscript, .banner').filter({ hasText: 'every item' }).count();
  check('with scripting disabled the comparison list opens a diff, search says where to look',
    plainDiff.url.endsWith(`/diff/${from}..${to}.html`) && /What changed/.test(plainDiff.h1) && plainSearch > 0, { plainDiff, plainSearch });
  await noscript.close();

  // 8. axe-core on every kind of page, WCAG 2.2 AA: no violation.
  const axeSource = readFileSync(path.join(path.dirname(fileURLToPath(import.meta.url)), 'node_modules/axe-core/axe.min.js'), 'utf8');
  const audit = await browser.newContext({ bypassCSP: true, viewport: { width: 1280, height: 900 } });
  const ap = await audit.newPage();
  const itemPage = (await ap.goto(url(site, 'items/index.html')), await ap.$eval('main ul.index a', (a) => a.getAttribute('href')));
  const meetingPage = (await ap.goto(url(site, 'meetings/index.html')), await ap.$eval('main ul.index li:not(.group) a', (a) => a.getAttribute('href')));
  const kinds = {
    index: 'index.html', latest: 'latest.html', edition: `editions/${from}.html`,
    diff: `diff/${from}..${to}.html`, item: `items/${itemPage}`, meeting: `meetings/${meetingPage}`,
    'meeting index': 'meetings/index.html', 'item index': 'items/index.html', search: 'search.html?q=firearms',
  };
  const violations = {};
  const passes = {};
  for (const [kind, rel] of Object.entries(kinds)) {
    const [file, query] = rel.split('?');
    await ap.goto(url(site, file) + (query ? `?${query}` : ''));
    await ap.evaluate(axeSource);
    const r = await ap.evaluate(() => window.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] } }));
    violations[kind] = r.violations.map((v) => ({ id: v.id, nodes: v.nodes.slice(0, 3).map((n) => n.target.join(' ')) }));
    passes[kind] = r.passes.length;
  }
  check('axe-core finds no WCAG 2.2 AA violation on any kind of page', Object.values(violations).every((v) => v.length === 0), violations);
  // A page axe checked nothing on would pass without meaning it.
  check('axe-core ran its rules on every page', Object.values(passes).every((n) => n >= 10), passes);
  result.axe_pages = Object.keys(kinds);
  await audit.close();

  // 9. At 1280 px and at 390 px nothing overflows sideways; screenshots kept.
  const overflow = {};
  for (const width of [1280, 390]) {
    const ctx = await browser.newContext({ viewport: { width, height: 900 } });
    const sp = await ctx.newPage();
    for (const [kind, rel] of Object.entries({ index: 'index.html', edition: `editions/${to}.html`, diff: `diff/${from}..${to}.html`, item: `items/${itemPage}` })) {
      await sp.goto(url(site, rel));
      overflow[`${kind} at ${width}`] = await sp.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      await sp.screenshot({ path: path.join(artefacts, `${kind}-${width}.png`), fullPage: true });
    }
    await ctx.close();
  }
  check('nothing overflows horizontally at 1280 px or 390 px', Object.values(overflow).every((o) => o <= 0), overflow);

  // 10. Hostile text renders inert.
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
    scripts += await evil.$$eval('main script:not([type="application/json"]), main img, main iframe', (s) => s.length);
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
