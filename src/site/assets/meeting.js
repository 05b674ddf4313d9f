// A meeting's page shows the meeting's current text; with
// ?seq=K&edition=ID in its address (the links of an edition's contents,
// on sites too large to hold each edition whole) it shows the text as it
// stood in that edition instead, from the history of the meeting's items
// that the page carries as data. Everything is built as DOM nodes from
// text, never as markup.
(function () {
  "use strict";
  var params = new URLSearchParams(window.location.search);
  var seq = parseInt(params.get("seq"), 10);
  var edition = params.get("edition") || "";
  var holder = document.getElementById("meeting-history");
  var section = document.getElementById("text");
  if (isNaN(seq) || !holder || !section) return;
  var data = JSON.parse(holder.textContent);
  function el(tag, text, attrs) {
    var node = document.createElement(tag);
    if (text) node.textContent = text;
    for (var k in attrs || {}) node.setAttribute(k, attrs[k]);
    return node;
  }
  var present = data.spans.some(function (s) {
    return seq >= s[0] && (s[1] === null || seq <= s[1]);
  });
  var items = [];
  data.items.forEach(function (item) {
    var now = null;
    item.moments.forEach(function (m) {
      if (m[0] <= seq) now = m;
    });
    // [edition, status, label, position, meeting, text]
    if (now && now[4] === data.key && now[1] !== "removed" && now[1] !== "merged") {
      items.push({ item: item, m: now });
    }
  });
  items.sort(function (a, b) { return a.m[3] - b.m[3]; });
  while (section.firstChild) section.removeChild(section.firstChild);
  section.appendChild(el("h2", "Its text in edition " + edition, { id: "text-heading" }));
  if (!present || items.length === 0) {
    section.appendChild(el("p", "This meeting was not in edition " + edition + ". Its history above says when it was."));
    return;
  }
  var note = el("p", "As it stood in edition " + edition + ". ", { "class": "banner", role: "note" });
  var now = el("a", "Its text now", { href: window.location.pathname.split("/").pop() });
  note.appendChild(now);
  note.appendChild(document.createTextNode("."));
  section.appendChild(note);
  items.forEach(function (x) {
    var article = el("article", null, { "class": "item", id: x.item.anchor });
    var h = el("h3", x.item.word + " " + (x.m[2] === null ? x.m[3] : x.m[2]));
    h.appendChild(document.createTextNode(" "));
    h.appendChild(el("a", "history", { "class": "permalink", href: "../" + x.item.page }));
    article.appendChild(h);
    x.m[5].split("\n").forEach(function (line) { article.appendChild(el("p", line)); });
    section.appendChild(article);
  });
  if (window.location.hash) {
    var target = document.getElementById(decodeURIComponent(window.location.hash.slice(1)));
    if (target) target.scrollIntoView();
  }
})();
