// compare.html?from=A&to=B: the changes between any two editions, worked
// out here as `livedoc diff A B` works them out (src/diff/mod.rs): items
// pair by permanent id; a paired item is moved (its meeting is not the
// one its old meeting pairs with), else modified (its text changed), else
// typography (only typographic equivalents changed), else renumbered (its
// label changed), else moved (an unlabelled item reordered); an unpaired
// new item is split (recorded as split off after A), restored (an id
// withdrawn before A) or added; an unpaired old item merged (recorded as
// merged after A) or removed. Every text from the data goes into the page
// as text nodes, never as markup.
(function () {
  'use strict';
  var conf = JSON.parse(document.getElementById('compare-data').textContent);
  var ids = conf.editions.map(function (e) { return e[0]; });
  var statusLine = document.getElementById('compare-status');
  var fallbackBox = document.getElementById('compare-fallback');
  var summaryBox = document.getElementById('compare-summary');
  var out = document.getElementById('compare-results');
  var form = document.getElementById('compare-form');
  var fromSel = document.getElementById('from'), toSel = document.getElementById('to');

  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    if (attrs) { Object.keys(attrs).forEach(function (k) { e.setAttribute(k, attrs[k]); }); }
    if (text !== undefined && text !== null) { e.textContent = text; }
    return e;
  }
  function clear(node) { while (node.firstChild) { node.removeChild(node.firstChild); } }

  form.addEventListener('submit', function (e) {
    e.preventDefault();
    location.search = '?from=' + encodeURIComponent(fromSel.value) + '&to=' + encodeURIComponent(toSel.value);
  });

  // ---- Texts, as src/text.rs has them -----------------------------------

  // Rust's char::is_whitespace (not JavaScript's \s, which differs on
  // U+0085 and U+FEFF).
  var SPACE = /[\t\n\u000b\u000c\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+/g;
  function normalise(s) { return s.replace(SPACE, ' ').replace(/^ | $/g, ''); }
  // text::item_text: the text, then each sub-item on its own line.
  function itemText(item) {
    var full = item.text;
    (item.subitems || []).forEach(function (s) {
      full += '\n' + (s.label ? s.label + ' ' : '') + s.text;
    });
    return normalise(full);
  }
  // text::fold_typography.
  var FOLD = { '\u2018': "'", '\u2019': "'", '\u201a': "'", '\u201b': "'", '\u2032': "'", '\u02bc': "'",
    '\u201c': '"', '\u201d': '"', '\u201e': '"', '\u201f': '"', '\u2033': '"', '\u00ab': '"', '\u00bb': '"',
    '\u2010': '-', '\u2011': '-', '\u2012': '-', '\u2013': '-', '\u2014': '-', '\u2015': '-', '\u2212': '-',
    '\u2026': '...' };
  function fold(s) { return s.replace(/[\u2018\u2019\u201a\u201b\u2032\u02bc\u201c\u201d\u201e\u201f\u2033\u00ab\u00bb\u2010-\u2015\u2212\u2026]/g, function (c) { return FOLD[c]; }); }
  // An approximation of text::printed_plain (which parses the Markdown):
  // escapes, the common entities, emphasis, code spans, links and tags
  // resolved, so that two texts written differently but printed alike
  // count as typography.
  function printedPlain(md) {
    var s = md.replace(/<[^>]*>/g, '')
      .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
      .replace(/(\*\*|__|\*|_|`)(?=\S)([^]*?\S)\1/g, '$2')
      .replace(/\\([!-\/:-@\[-`{-~])/g, '$1')
      .replace(/&(amp|lt|gt|quot|apos|nbsp|#(\d+)|#x([0-9a-f]+));/gi, function (m, name, dec, hex) {
        if (dec) { return String.fromCodePoint(+dec); }
        if (hex) { return String.fromCodePoint(parseInt(hex, 16)); }
        return { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' }[name.toLowerCase()];
      });
    return normalise(s);
  }

  // The length of the longest common subsequence of two word lists.
  function lcsLength(a, b) {
    var prev = new Int32Array(b.length + 1), cur = new Int32Array(b.length + 1);
    for (var i = 1; i <= a.length; i++) {
      for (var j = 1; j <= b.length; j++) {
        cur[j] = a[i - 1] === b[j - 1] ? prev[j - 1] + 1 : Math.max(prev[j], cur[j - 1]);
      }
      var t = prev; prev = cur; cur = t;
    }
    return prev[b.length];
  }
  // text::similarity: 2 × common words / all words.
  function similarity(a, b) {
    if (a === b) { return 1; }
    var x = a.split(' '), y = b.split(' ');
    return (2 * lcsLength(x, y)) / (x.length + y.length);
  }

  // matching::longest_increasing: the indices of one longest strictly
  // increasing subsequence, chosen as the Rust code chooses it.
  function longestIncreasing(seq) {
    var tails = [], prev = new Array(seq.length).fill(-1);
    for (var i = 0; i < seq.length; i++) {
      var lo = 0, hi = tails.length;
      while (lo < hi) { var mid = (lo + hi) >> 1; if (seq[tails[mid]] < seq[i]) { lo = mid + 1; } else { hi = mid; } }
      if (lo > 0) { prev[i] = tails[lo - 1]; }
      if (lo === tails.length) { tails.push(i); } else { tails[lo] = i; }
    }
    var res = [], c = tails.length ? tails[tails.length - 1] : -1;
    while (c >= 0) { res.push(c); c = prev[c]; }
    return res.reverse();
  }

  // ---- Comparing ---------------------------------------------------------

  function meetingsOf(view) {
    var ms = [];
    view.parts.forEach(function (p) {
      p.meetings.forEach(function (m) {
        ms.push({ key: m.key, part: m.part, year: m.year, body: m.body, symbol: m.symbol, source: m.source,
          items: m.items, texts: m.items.map(itemText) });
      });
    });
    return ms;
  }

  // matching::share_most_items.
  function shareMost(om, nm) {
    var smaller = Math.min(om.items.length, nm.items.length);
    if (smaller === 0) { return true; }
    var texts = new Set(om.texts), byLabel = new Map();
    om.items.forEach(function (it, o) { if (it.label != null) { byLabel.set(it.label, o); } });
    var shared = 0;
    nm.items.forEach(function (it, k) {
      var t = nm.texts[k];
      if (texts.has(t) || (it.label != null && byLabel.has(it.label) && similarity(om.texts[byLabel.get(it.label)], t) >= 0.6)) { shared++; }
    });
    return 2 * shared > smaller;
  }

  // matching::pair_meetings under today's rules: by key (a key whose
  // bodies differ and share little waits), by part, year and body, by
  // content; then the doubtful pairs by key if still free.
  function pairMeetings(om, nm) {
    var oldOf = nm.map(function () { return -1; }), newOf = om.map(function () { return -1; });
    function pair(i, j) { newOf[i] = j; oldOf[j] = i; }
    var byKey = new Map();
    om.forEach(function (m, i) { byKey.set(m.key, i); });
    var doubtful = [];
    nm.forEach(function (m, j) {
      var i = byKey.get(m.key);
      if (i === undefined || newOf[i] >= 0) { return; }
      if (om[i].body !== m.body && !shareMost(om[i], m)) { doubtful.push([i, j]); return; }
      pair(i, j);
    });
    var byBody = new Map();
    om.forEach(function (m, i) {
      if (newOf[i] >= 0) { return; }
      var k = m.part + '\u0000' + m.year + '\u0000' + m.body;
      if (!byBody.has(k)) { byBody.set(k, []); }
      byBody.get(k).push(i);
    });
    nm.forEach(function (m, j) {
      if (oldOf[j] >= 0) { return; }
      var q = byBody.get(m.part + '\u0000' + m.year + '\u0000' + m.body);
      if (!q) { return; }
      for (var x = 0; x < Math.min(q.length, 5); x++) {
        if (shareMost(om[q[x]], m)) { pair(q.splice(x, 1)[0], j); return; }
      }
    });
    var holders = new Map();
    om.forEach(function (m, i) {
      if (newOf[i] >= 0) { return; }
      m.texts.forEach(function (t) {
        if (!holders.has(t)) { holders.set(t, []); }
        var v = holders.get(t);
        if (v[v.length - 1] !== i) { v.push(i); }
      });
    });
    if (holders.size > 0) {
      nm.forEach(function (m, j) {
        if (oldOf[j] >= 0) { return; }
        var votes = new Map();
        m.texts.forEach(function (t) {
          var v = holders.get(t);
          if (!v || v.length > 50) { return; }
          v.forEach(function (i) {
            if (newOf[i] < 0 && om[i].part === m.part) { votes.set(i, (votes.get(i) || 0) + 1); }
          });
        });
        var ranked = Array.from(votes.entries()).sort(function (a, b) { return b[1] - a[1] || a[0] - b[0]; }).slice(0, 5);
        for (var r = 0; r < ranked.length; r++) {
          if (shareMost(om[ranked[r][0]], m)) { pair(ranked[r][0], j); return; }
        }
      });
    }
    doubtful.forEach(function (d) { if (newOf[d[0]] < 0 && oldOf[d[1]] < 0) { pair(d[0], d[1]); } });
    return { oldOf: oldOf, newOf: newOf };
  }

  // The changes from edition index a to b: [{id, status, old, new, events}].
  function compare(a, b, oldView, newView, events) {
    var om = meetingsOf(oldView), nm = meetingsOf(newView);
    var mp = pairMeetings(om, nm);
    var oldById = new Map(), newPaired = new Map(), oldPaired = new Set();
    om.forEach(function (m, i) { m.items.forEach(function (it, k) { oldById.set(it.id, { m: i, k: k }); }); });
    nm.forEach(function (m, j) {
      m.items.forEach(function (it, k) {
        var o = oldById.get(it.id), key = o && (o.m + ':' + o.k);
        if (o && !oldPaired.has(key) && !newPaired.has(j + ':' + k)) { oldPaired.add(key); newPaired.set(j + ':' + k, o); }
      });
    });
    function record(id) { return (events.items[id] || { events: [] }).events; }
    // The item's changes made by the editions after a up to b.
    function between(id) { return record(id).filter(function (e) { return e[0] > a && e[0] <= b; }); }
    var changes = [];
    nm.forEach(function (m, j) {
      var i = mp.oldOf[j];
      // Unlabelled items of the same text, paired within this pair of
      // meetings, whose order changed (Builder::reordered).
      var reordered = new Set();
      if (i >= 0) {
        var within = [];
        m.items.forEach(function (it, k) {
          var o = newPaired.get(j + ':' + k);
          if (o && o.m === i && it.label == null && om[i].items[o.k].label == null && m.texts[k] === om[i].texts[o.k]) {
            within.push([k, o.k]);
          }
        });
        var kept = new Set(longestIncreasing(within.map(function (w) { return w[1]; })));
        within.forEach(function (w, x) { if (!kept.has(x)) { reordered.add(w[0]); } });
      }
      m.items.forEach(function (it, k) {
        var o = newPaired.get(j + ':' + k), status, oldItem = null, oldText = null, nt = m.texts[k];
        if (o) {
          oldItem = om[o.m].items[o.k]; oldText = om[o.m].texts[o.k];
          var typography = oldText !== nt && (fold(oldText) === fold(nt) || fold(printedPlain(oldText)) === fold(printedPlain(nt)));
          var textSame = oldText === nt || typography, labelSame = oldItem.label === it.label;
          if (mp.oldOf[j] !== o.m) { status = 'moved'; }
          else if (!textSame) { status = 'modified'; }
          else if (typography && labelSame) { status = 'typography'; }
          else if (!labelSame) { status = 'renumbered'; }
          else if (it.label == null && reordered.has(k)) { status = 'moved'; }
          else { return; }
        } else {
          var rec = record(it.id);
          var first = rec.length ? rec[0][0] : -1;
          var split = rec.some(function (e) { return e[1] === 's' && e[0] > a && e[0] <= b; });
          if (split && first > a) { status = 'split'; }
          else if (first >= 0 && first < a) { status = 'restored'; }
          else { status = 'added'; }
        }
        changes.push({ id: it.id, status: status, meeting: m, item: it, text: nt, oldItem: oldItem, oldText: oldText,
          oldMeeting: o ? om[o.m] : null, events: between(it.id) });
      });
    });
    om.forEach(function (m, i) {
      m.items.forEach(function (it, k) {
        if (oldPaired.has(i + ':' + k)) { return; }
        var ev = between(it.id);
        var merged = ev.some(function (e) { return e[1] === 'g'; });
        var j = mp.newOf[i];
        changes.push({ id: it.id, status: merged ? 'merged' : 'removed', meeting: j >= 0 ? nm[j] : m, item: null, text: null,
          oldItem: it, oldText: m.texts[k], oldMeeting: m, events: ev });
      });
    });
    return changes;
  }

  // ---- Rendering ---------------------------------------------------------

  // Words and the spaces after them, compared word by word (LCS); a text
  // too long for that is shown deleted and inserted whole.
  function words(s) { return s.match(/\S+\s*/g) || []; }
  function wordDiff(oldText, newText, into) {
    var x = words(oldText), y = words(newText), n = x.length, m = y.length;
    var parts = [];
    if (n * m > 4000000) {
      parts = [['-', oldText], ['+', newText]];
    } else {
      var xs = x.map(function (w) { return w.trim(); }), ys = y.map(function (w) { return w.trim(); });
      var table = [];
      for (var i = 0; i <= n; i++) { table.push(new Int32Array(m + 1)); }
      for (var i2 = n - 1; i2 >= 0; i2--) {
        for (var j2 = m - 1; j2 >= 0; j2--) {
          table[i2][j2] = xs[i2] === ys[j2] ? table[i2 + 1][j2 + 1] + 1 : Math.max(table[i2 + 1][j2], table[i2][j2 + 1]);
        }
      }
      var a = 0, b = 0;
      var push = function (op, w) {
        var last = parts[parts.length - 1];
        if (last && last[0] === op) { last[1] += w; } else { parts.push([op, w]); }
      };
      while (a < n || b < m) {
        if (a < n && b < m && xs[a] === ys[b]) { push('=', y[b]); a++; b++; }
        else if (b < m && (a === n || table[a][b + 1] >= table[a + 1][b])) { push('+', y[b]); b++; }
        else { push('-', x[a]); a++; }
      }
    }
    parts.forEach(function (p) {
      if (p[0] === '=') { into.appendChild(document.createTextNode(p[1])); return; }
      var node = el(p[0] === '+' ? 'ins' : 'del');
      node.appendChild(el('span', { 'class': 'visually-hidden' }, p[0] === '+' ? 'added: ' : 'removed: '));
      node.appendChild(document.createTextNode(p[1]));
      into.appendChild(node);
      into.appendChild(document.createTextNode(' '));
    });
  }

  var WORDS = { added: 'added', removed: 'removed', modified: 'reworded', renumbered: 'renumbered', moved: 'moved',
    typography: 'typography only', split: 'split off', merged: 'merged', restored: 'restored' };
  var ORDER = ['added', 'removed', 'modified', 'renumbered', 'moved', 'typography', 'split', 'merged', 'restored'];

  function itemName(item, meeting) {
    if (item.label != null) {
      var l = item.label;
      return (item.kind === 'observation' ? 'Observation ' : 'Recommendation ') + l;
    }
    var n = 0, at = 0;
    meeting.items.forEach(function (it) { if (it.label == null) { n++; if (it === item) { at = n; } } });
    return 'Observation ' + at;
  }
  function meetingName(m) { return m.year + ': ' + m.body + (m.symbol ? ' (' + m.symbol + ')' : ''); }

  function render(a, b, changes, events) {
    clear(out); clear(summaryBox);
    var counts = {};
    changes.forEach(function (c) { counts[c.status] = (counts[c.status] || 0) + 1; });
    var said = ORDER.filter(function (s) { return counts[s]; }).map(function (s) { return counts[s] + ' ' + WORDS[s]; });
    statusLine.textContent = changes.length === 0
      ? 'Nothing changed between edition ' + ids[a] + ' and edition ' + ids[b] + '.'
      : changes.length + (changes.length === 1 ? ' item changed' : ' items changed') + ' between edition ' + ids[a] + ' and edition ' + ids[b] + ': ' + said.join(', ') + '.';
    // Grouped by meeting, in the newer edition's order.
    var groups = [], byMeeting = new Map();
    changes.forEach(function (c) {
      if (!byMeeting.has(c.meeting)) { byMeeting.set(c.meeting, []); groups.push(c.meeting); }
      byMeeting.get(c.meeting).push(c);
    });
    if (groups.length > 1) {
      var nav = el('nav', { 'aria-label': 'Changed meetings', 'class': 'toc' });
      nav.appendChild(el('h2', null, 'Changed meetings'));
      var ol = el('ol');
      groups.forEach(function (m, g) {
        var li = el('li'), link = el('a', { href: '#g' + g }, meetingName(m));
        li.appendChild(link);
        li.appendChild(document.createTextNode(' (' + byMeeting.get(m).length + ')'));
        ol.appendChild(li);
      });
      nav.appendChild(ol);
      summaryBox.appendChild(nav);
    }
    groups.forEach(function (m, g) {
      var section = el('section', { 'aria-labelledby': 'g' + g, 'class': 'meeting-changes' });
      var h = el('h2', { id: 'g' + g });
      var page = events.meetings && events.meetings[m.key];
      if (page) { h.appendChild(el('a', { href: page }, meetingName(m))); } else { h.textContent = meetingName(m); }
      section.appendChild(h);
      byMeeting.get(m).forEach(function (c) {
        var div = el('div', { 'class': 'change', 'data-id': c.id, 'data-status': c.status });
        var item = c.item || c.oldItem, meeting = c.item ? c.meeting : c.oldMeeting;
        var h3 = el('h3');
        h3.appendChild(document.createTextNode(itemName(item, meeting) + ' '));
        h3.appendChild(el('span', { 'class': 'status ' + c.status }, WORDS[c.status]));
        div.appendChild(h3);
        var meta = el('p', { 'class': 'meta' });
        if (c.oldItem && c.item && c.oldItem.label !== c.item.label) {
          meta.appendChild(document.createTextNode('Was ' + itemName(c.oldItem, c.oldMeeting) + '. '));
        }
        if (c.oldMeeting && c.item && c.oldMeeting.key !== c.meeting.key) {
          meta.appendChild(document.createTextNode('Was in ' + meetingName(c.oldMeeting) + '. '));
        }
        if (c.events.length) {
          meta.appendChild(document.createTextNode('By ' + c.events.map(function (e) {
            return 'edition ' + ids[e[0]] + ' (' + (WORDS[events.statuses[e[1]]] || events.statuses[e[1]]) + ')';
          }).join(', ') + '. '));
        }
        var hist = events.items[c.id];
        if (hist) { meta.appendChild(el('a', { href: hist.page }, 'History of this item')); }
        div.appendChild(meta);
        var p = el('p', { 'class': 'text' });
        if (c.oldText != null && c.text != null) { wordDiff(c.oldText, c.text, p); }
        else if (c.text != null) { p.textContent = c.text; }
        else { var d = el('del'); d.appendChild(el('span', { 'class': 'visually-hidden' }, 'removed: ')); d.appendChild(document.createTextNode(c.oldText)); p.appendChild(d); }
        div.appendChild(p);
        section.appendChild(div);
      });
      out.appendChild(section);
    });
  }

  // Opened from disk (or when the data cannot be had): the pages that
  // compare each edition with the next, from A to B.
  function fallback(a, b, why) {
    clear(fallbackBox);
    statusLine.textContent = why;
    var p = el('p', null, 'The comparison pages from edition ' + ids[a] + ' to edition ' + ids[b] + ', one edition at a time:');
    fallbackBox.appendChild(p);
    var ul = el('ul', { 'class': 'steps' });
    for (var k = a; k < b; k++) {
      var li = el('li');
      li.appendChild(el('a', { href: 'diff/' + ids[k] + '..' + ids[k + 1] + '.html' }, ids[k] + ' → ' + ids[k + 1]));
      ul.appendChild(li);
    }
    fallbackBox.appendChild(ul);
    if (b === ids.length - 1 && b - a > 1) {
      var q = el('p');
      q.appendChild(el('a', { href: 'diff/' + ids[a] + '..' + ids[b] + '.html' }, 'Edition ' + ids[a] + ' compared with the latest, ' + ids[b]));
      fallbackBox.appendChild(q);
    }
  }

  // Editions as `livedoc show --format json` gives what this page needs
  // of them (parts, meetings, items), built from the history of the
  // meetings' items: an item stands in edition k as its last moment at or
  // before k says. Only the meetings in either edition are fetched.
  function within(spans, k) {
    return spans.some(function (s) { return k >= s[0] && (s[1] === null || k <= s[1]); });
  }
  function loadViews(ks) {
    return getJson('data/meetings.json').then(function (index) {
      var wanted = index.meetings.filter(function (m) {
        return ks.some(function (k) { return within(m.spans, k); });
      });
      return Promise.all(wanted.map(function (m) { return getJson(m.file); })).then(function (files) {
        return ks.map(function (k) {
          var parts = [], byPart = {};
          wanted.forEach(function (m, x) {
            if (!within(m.spans, k)) { return; }
            var items = [];
            files[x].items.forEach(function (it) {
              var now = null;
              it.moments.forEach(function (mo) { if (mo[0] <= k) { now = mo; } });
              // [edition, status, label, position, meeting, text]
              if (now && now[4] === m.key && now[1] !== 'removed' && now[1] !== 'merged') {
                items.push({ pos: now[3], item: { id: it.id, kind: it.kind, label: now[2], text: now[5], subitems: [] } });
              }
            });
            items.sort(function (p, q) { return p.pos - q.pos; });
            if (!byPart[m.part]) { byPart[m.part] = { key: m.part, meetings: [] }; parts.push(byPart[m.part]); }
            byPart[m.part].meetings.push({ key: m.key, part: m.part, year: m.year, body: m.body, symbol: m.symbol,
              source: m.source, items: items.map(function (p) { return p.item; }) });
          });
          return { parts: parts };
        });
      });
    });
  }

  function getJson(url) {
    return fetch(url).then(function (r) {
      if (!r.ok) { throw new Error(url + ': ' + r.status); }
      return r.json();
    });
  }

  var params = new URLSearchParams(location.search);
  var from = params.get('from'), to = params.get('to');
  if (!from || !to) { statusLine.textContent = 'Choose two editions to compare.'; return; }
  var a = ids.indexOf(from), b = ids.indexOf(to);
  if (a < 0 || b < 0) { statusLine.textContent = 'There is no edition ' + (a < 0 ? from : to) + '. Choose two editions to compare.'; return; }
  fromSel.value = from; toSel.value = to;
  if (a === b) { statusLine.textContent = 'Choose two different editions.'; return; }
  // Older first, as a comparison reads.
  if (a > b) { var t = a; a = b; b = t; }
  document.title = 'Edition ' + ids[a] + ' compared with edition ' + ids[b];
  if (location.protocol === 'file:') {
    fallback(a, b, 'Opened from disk, your browser does not let this page read the editions\u2019 data, so it cannot compare them here. Open the site from a web server, or follow the changes one edition at a time below.');
    return;
  }
  statusLine.textContent = 'Comparing edition ' + ids[a] + ' with edition ' + ids[b] + '\u2026';
  Promise.all([loadViews([a, b]), getJson('data/events.json')]).then(function (r) {
    render(a, b, compare(a, b, r[0][0], r[0][1], r[1]), r[1]);
  }).catch(function (err) {
    fallback(a, b, 'The editions\u2019 data could not be read (' + err.message + '), so they cannot be compared here. Follow the changes one edition at a time below.');
  });
})();
