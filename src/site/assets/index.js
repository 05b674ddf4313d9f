document.getElementById('compare').addEventListener('submit', function (e) {
  e.preventDefault();
  var from = document.getElementById('from').value, to = document.getElementById('to').value;
  var pairs = JSON.parse(document.getElementById('pairs').textContent);
  var msg = document.getElementById('compare-message');
  if (from === to) { msg.textContent = 'Choose two different editions.'; return; }
  var key = from + '..' + to;
  if (pairs.indexOf(key) < 0) { key = to + '..' + from; }
  // A pair with no page of its own is compared in the browser.
  if (pairs.indexOf(key) < 0) {
    window.location.href = 'compare.html?from=' + encodeURIComponent(from) + '&to=' + encodeURIComponent(to);
    return;
  }
  window.location.href = 'diff/' + key + '.html';
});
document.getElementById('when').addEventListener('submit', function (e) {
  e.preventDefault();
  var day = document.getElementById('when-date').value;
  var dates = JSON.parse(document.getElementById('dates').textContent);
  var out = document.getElementById('when-result');
  while (out.firstChild) { out.removeChild(out.firstChild); }
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) { out.textContent = 'Enter a date.'; return; }
  var found = null;
  dates.forEach(function (d) { if (d[1] <= day) { found = d; } });
  if (!found) { out.textContent = 'No edition had been published by then: the first is edition ' + dates[0][0] + ' of ' + dates[0][2] + '.'; return; }
  out.appendChild(document.createTextNode('On ' + day + ', the edition in force was '));
  var a = document.createElement('a'); a.href = 'editions/' + found[0] + '.html'; a.textContent = 'edition ' + found[0] + ' (' + found[2] + ')';
  out.appendChild(a);
  out.appendChild(document.createTextNode(found === dates[dates.length - 1] ? ', the latest.' : '.'));
});