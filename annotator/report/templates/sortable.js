// Sorts a table.sortable by the column whose header is clicked (again: the other way).
// A cell's data-sort holds its number; a cell without one sorts by its text, and an empty
// data-sort (an undefined figure) goes last either way. Without script the table keeps the
// order it was written in, and the hints that say "click to sort" stay hidden.
(function () {
  "use strict";
  function key(cell) {
    var raw = cell.getAttribute("data-sort");
    if (raw === null) { return { undef: false, num: null, text: cell.textContent.trim() }; }
    if (raw === "") { return { undef: true, num: null, text: "" }; }
    return { undef: false, num: parseFloat(raw), text: raw };
  }
  function compare(a, b) {
    if (a.undef || b.undef) { return a.undef === b.undef ? 0 : (a.undef ? 1 : -1); }
    if (a.num !== null && b.num !== null) { return a.num - b.num; }
    return a.text.localeCompare(b.text);
  }
  function sortBy(table, column, header) {
    var body = table.tBodies[0];
    var descending = header.getAttribute("aria-sort") === "ascending";
    var rows = Array.prototype.slice.call(body.rows).map(function (row, at) {
      return { row: row, at: at, key: key(row.cells[column]) };
    });
    rows.sort(function (x, y) {
      var order = compare(x.key, y.key);
      if (order !== 0 && !x.key.undef && !y.key.undef && descending) { order = -order; }
      return order !== 0 ? order : x.at - y.at;
    });
    rows.forEach(function (item) { body.appendChild(item.row); });
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th) {
      th.removeAttribute("aria-sort");
    });
    header.setAttribute("aria-sort", descending ? "descending" : "ascending");
  }
  Array.prototype.forEach.call(document.querySelectorAll(".sort-hint"), function (hint) {
    hint.hidden = false;
  });
  Array.prototype.forEach.call(document.querySelectorAll("table.sortable"), function (table) {
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, column) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "sort";
      button.title = "Sort by " + th.textContent.trim();
      while (th.firstChild) { button.appendChild(th.firstChild); }
      th.appendChild(button);
      button.addEventListener("click", function () { sortBy(table, column, th); });
    });
  });
}());
