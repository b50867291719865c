// cmctei.js: enhances the document index with instant filtering.
// The page works without it (each filter has its own static page).
(function () {
  "use strict";
  var box = document.getElementById("filter");
  var rows = document.querySelectorAll("table.documents tbody tr");
  if (!box || !rows.length) { return; }
  box.parentNode.hidden = false;
  box.addEventListener("input", function () {
    var words = box.value.toLowerCase().split(/\s+/).filter(Boolean);
    rows.forEach(function (row) {
      var text = row.textContent.toLowerCase();
      row.hidden = !words.every(function (w) { return text.indexOf(w) !== -1; });
    });
  });
}());
