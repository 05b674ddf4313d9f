// The search page: words through elasticlunr.js, labels by an exact
// lookup; filters, twenty results a page, the words found marked. The
// query, the filters and the page live in the address (?q=&kind=&part=
// &year=&withdrawn=&page=), so a search can be linked to and Back works.
// Results are built as DOM nodes from text, never as markup.
(function () {
  'use strict';
  var PER_PAGE = 20;
  var index = elasticlunr.Index.load(JSON.parse(document.getElementById('search-index').textContent));
  var docs = JSON.parse(document.getElementById('search-docs').textContent);
  var form = document.getElementById('search'), box = document.getElementById('q');
  var out = document.getElementById('results'), status = document.getElementById('search-status');
  var pager = document.getElementById('pages'), prev = document.getElementById('prev'), next = document.getElementById('next');
  var pageNumber = document.getElementById('page-number');
  var FILTERS = ['kind', 'part', 'year', 'withdrawn'];
  var controls = {};
  FILTERS.forEach(function (f) { controls[f] = document.getElementById(f); });

  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    if (attrs) { Object.keys(attrs).forEach(function (k) { e.setAttribute(k, attrs[k]); }); }
    if (text !== undefined && text !== null) { e.textContent = text; }
    return e;
  }

  function labelled(q) {
    var m = q.match(/^(recommendation|observation)s?\s+\(?([a-z0-9]+)\)?\.?$/);
    if (m) { return docs.filter(function (d) { return d.kind === m[1] && d.label === m[2]; }); }
    m = q.match(/^\(([a-z0-9]{1,5})\)$/) || q.match(/^([0-9]{1,3})$/);
    if (m) { return docs.filter(function (d) { return d.kind === 'recommendation' && d.label === m[1]; }); }
    return [];
  }

  // The stems of the query's words, as the index has them: a word of a
  // result whose stem starts with one of them is marked (the search
  // expands a query word to the words it begins).
  function stems(q) {
    return elasticlunr.tokenizer(q).map(function (t) {
      var w = elasticlunr.trimmer(t);
      // The filter gives the word back, or nothing for a stop word.
      return w && elasticlunr.stopWordFilter(w) ? elasticlunr.stemmer(w) : '';
    }).filter(function (s) { return s; });
  }
  var WORD = /[\p{L}\p{N}]+/gu;
  // `text` into `into`, each matched word in a <mark> element.
  function marked(text, marks, into) {
    var at = 0, m;
    WORD.lastIndex = 0;
    while ((m = WORD.exec(text)) !== null) {
      var stem = elasticlunr.stemmer(m[0].toLowerCase());
      var hit = marks.some(function (s) { return stem.indexOf(s) === 0 || m[0].toLowerCase().indexOf(s) === 0; });
      if (!hit) { continue; }
      if (m.index > at) { into.appendChild(document.createTextNode(text.slice(at, m.index))); }
      into.appendChild(el('mark', null, m[0]));
      at = m.index + m[0].length;
    }
    if (at < text.length) { into.appendChild(document.createTextNode(text.slice(at))); }
    return into;
  }

  function readState() {
    var p = new URLSearchParams(location.search), s = { q: p.get('q') || '', page: Math.max(1, parseInt(p.get('page'), 10) || 1) };
    FILTERS.forEach(function (f) { s[f] = p.get(f) || ''; });
    return s;
  }
  function formState() {
    var s = { q: box.value, page: 1 };
    FILTERS.forEach(function (f) { s[f] = controls[f].value; });
    return s;
  }
  function address(s) {
    var p = new URLSearchParams();
    if (s.q.trim()) { p.set('q', s.q.trim()); }
    FILTERS.forEach(function (f) { if (s[f]) { p.set(f, s[f]); } });
    if (s.page > 1) { p.set('page', String(s.page)); }
    var q = p.toString();
    return q ? '?' + q : location.pathname.split('/').pop();
  }

  function passes(d, s) {
    if (s.kind && d.kind !== s.kind) { return false; }
    if (s.part && d.part !== s.part) { return false; }
    if (s.year && String(d.year) !== s.year) { return false; }
    if (s.withdrawn === 'only' && !d.withdrawn) { return false; }
    if (s.withdrawn === 'exclude' && d.withdrawn) { return false; }
    return true;
  }
  // "among recommendations of part A of 2022, withdrawn only".
  function among(s) {
    var kinds = { recommendation: 'recommendations', observation: 'observations', meeting: 'meetings' };
    if (!s.kind && !s.part && !s.year && !s.withdrawn) { return ''; }
    var words = ' among ' + (kinds[s.kind] || 'items and meetings');
    if (s.part) { words += ' of part ' + s.part; }
    if (s.year) { words += ' of ' + s.year; }
    if (s.withdrawn === 'only') { words += ', withdrawn ones only'; }
    if (s.withdrawn === 'exclude') { words += ', withdrawn ones left out'; }
    return words;
  }

  function clear(node) { while (node.firstChild) { node.removeChild(node.firstChild); } }

  function run(s) {
    box.value = s.q;
    FILTERS.forEach(function (f) { controls[f].value = s[f]; if (controls[f].value !== s[f]) { controls[f].value = ''; s[f] = ''; } });
    clear(out);
    pager.hidden = true;
    var raw = s.q.trim(), q = raw.toLowerCase().replace(/\s+/g, ' ');
    var filtered = FILTERS.some(function (f) { return s[f]; });
    if (!q && !filtered) { status.textContent = ''; return; }
    var found = [];
    if (!q) {
      // Filters alone list what they let through, in the site's order.
      found = docs.slice();
    } else {
      found = labelled(q);
      // A label finds its items; words (or a label nothing has) go to the index.
      if (found.length === 0) {
        var seen = {};
        index.search(q, { fields: { title: { boost: 2 }, body: { boost: 1 } }, bool: 'AND', expand: q.length > 2 })
          .forEach(function (r) { if (!seen[r.ref]) { seen[r.ref] = true; found.push(docs[+r.ref]); } });
      }
    }
    found = found.filter(function (d) { return passes(d, s); });
    var pages = Math.max(1, Math.ceil(found.length / PER_PAGE));
    if (s.page > pages) { s.page = pages; }
    var start = (s.page - 1) * PER_PAGE, shown = found.slice(start, start + PER_PAGE);
    var what = q ? ' for \u201c' + raw + '\u201d' : '';
    status.textContent = found.length === 0 ? 'Nothing found' + what + among(s) + '.'
      : found.length + (found.length === 1 ? ' result' : ' results') + what + among(s) + '; showing ' +
        (start + 1) + '\u2013' + (start + shown.length) + '.';
    var marks = q && labelled(q).length === 0 ? stems(q) : [];
    shown.forEach(function (d) {
      var li = el('li', { 'data-kind': d.kind }), h = el('h2'), a = el('a', { href: d.url });
      marked(d.title, marks, a); h.appendChild(a); li.appendChild(h);
      var c = el('p', { 'class': 'meta' });
      marked(d.context, marks, c);
      c.appendChild(document.createTextNode(' \u00b7 in ' + d.editions + ' \u00b7 '));
      c.appendChild(el('a', { href: d.history }, 'history of ' + d.title));
      li.appendChild(c);
      if (d.withdrawn) {
        li.setAttribute('data-withdrawn', d.withdrawn);
        li.appendChild(el('p', { 'class': 'withdrawn' }, 'Withdrawn in edition ' + d.withdrawn));
      }
      li.appendChild(marked(d.excerpt, marks, el('p')));
      out.appendChild(li);
    });
    if (pages > 1) {
      pager.hidden = false;
      prev.disabled = s.page <= 1;
      next.disabled = s.page >= pages;
      pageNumber.textContent = 'Page ' + s.page + ' of ' + pages;
    }
    current = s;
  }

  var current = readState();
  function go(s) {
    run(s);
    try { history.pushState(null, '', address(current)); } catch (err) { /* opened from disk: no history entry */ }
  }
  form.addEventListener('submit', function (e) { e.preventDefault(); go(formState()); });
  FILTERS.forEach(function (f) { controls[f].addEventListener('change', function () { go(formState()); }); });
  function turn(by) {
    var s = Object.assign({}, current, { page: current.page + by });
    go(s);
    status.focus();
  }
  prev.addEventListener('click', function () { turn(-1); });
  next.addEventListener('click', function () { turn(1); });
  window.addEventListener('popstate', function () { run(readState()); });
  run(current);
})();
