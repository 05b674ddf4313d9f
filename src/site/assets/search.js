(function () {
  var index = elasticlunr.Index.load(JSON.parse(document.getElementById('search-index').textContent));
  var docs = JSON.parse(document.getElementById('search-docs').textContent);
  var form = document.getElementById('search'), box = document.getElementById('q');
  var out = document.getElementById('results'), status = document.getElementById('search-status');
  function labelled(q) {
    var m = q.match(/^(recommendation|observation)s?\s+\(?([a-z0-9]+)\)?\.?$/);
    if (m) { return docs.filter(function (d) { return d.kind === m[1] && d.label === m[2]; }); }
    m = q.match(/^\(([a-z0-9]{1,5})\)$/) || q.match(/^([0-9]{1,3})$/);
    if (m) { return docs.filter(function (d) { return d.kind === 'recommendation' && d.label === m[1]; }); }
    return [];
  }
  function search(raw) {
    var q = raw.trim().toLowerCase().replace(/\s+/g, ' ');
    while (out.firstChild) { out.removeChild(out.firstChild); }
    if (!q) { status.textContent = ''; return; }
    var found = labelled(q), seen = {};
    found.forEach(function (d) { seen[docs.indexOf(d)] = true; });
    // A label finds its items; words (or a label nothing has) go to the index.
    if (found.length === 0) {
      index.search(q, { fields: { title: { boost: 2 }, body: { boost: 1 } }, bool: 'AND', expand: q.length > 2 })
        .forEach(function (r) { if (!seen[r.ref]) { seen[r.ref] = true; found.push(docs[+r.ref]); } });
    }
    status.textContent = found.length === 0 ? 'Nothing found for “' + raw.trim() + '”.'
      : found.length + (found.length === 1 ? ' result' : ' results') + ' for “' + raw.trim() + '”.';
    found.slice(0, 100).forEach(function (d) {
      var li = document.createElement('li'), h = document.createElement('h2'), a = document.createElement('a');
      a.href = d.url; a.textContent = d.title; h.appendChild(a); li.appendChild(h);
      var c = document.createElement('p'); c.className = 'meta'; c.textContent = d.context + ' · in ' + d.editions + ' · ';
      var hist = document.createElement('a'); hist.href = d.history; hist.textContent = 'history of ' + d.title;
      c.appendChild(hist); li.appendChild(c);
      var x = document.createElement('p'); x.textContent = d.excerpt; li.appendChild(x);
      out.appendChild(li);
    });
  }
  form.addEventListener('submit', function (e) {
    e.preventDefault();
    search(box.value);
    if (history.replaceState) { try { history.replaceState(null, '', '?q=' + encodeURIComponent(box.value)); } catch (err) {} }
  });
  var start = new URLSearchParams(location.search).get('q');
  if (start) { box.value = start; search(start); }
})();