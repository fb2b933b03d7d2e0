// Mishu's only script: small progressive enhancements; every page works without it.
document.addEventListener("click", function (e) {
  var back = e.target.closest && e.target.closest("a[data-back]");
  if (back && window.history.length > 1) { e.preventDefault(); window.history.back(); }
});
// Keep a double click from submitting a form twice.
document.addEventListener("submit", function (e) {
  var f = e.target;
  if (f.hasAttribute("data-pick-form")) return;
  if (f.dataset.sent) { e.preventDefault(); return; }
  f.dataset.sent = "1";
  setTimeout(function () { delete f.dataset.sent; }, 3000);
});
// Print buttons (the 收文处理单): inline handlers are not allowed by the CSP.
document.addEventListener("click", function (e) {
  var b = e.target.closest && e.target.closest("[data-print]");
  if (b) { e.preventDefault(); window.print(); }
});
// Saved phrases (常用意见): one click puts the phrase in the textarea it names.
document.addEventListener("click", function (e) {
  var b = e.target.closest && e.target.closest("button[data-phrase]");
  if (!b) return;
  var t = document.getElementById(b.dataset.fill);
  if (!t) return;
  e.preventDefault();
  t.value = t.value.trim() === "" ? b.dataset.phrase : t.value.replace(/\s+$/, "") + b.dataset.phrase;
  t.focus();
});
// The person picker: 查找 (or Enter in its name box) fills the matches in place instead of
// reloading the page, and keeps the people already ticked.
document.addEventListener("submit", function (e) {
  var f = e.target;
  if (!f.hasAttribute("data-pick-form") || !window.fetch) return;
  var box = document.querySelector(".picker[data-form='" + f.id + "']");
  if (!box) return;
  e.preventDefault();
  var q = new URLSearchParams(new FormData(f));
  q.set("field", box.dataset.field);
  q.set("multiple", box.dataset.multiple);
  fetch("/people/pick?" + q.toString(), { credentials: "same-origin" })
    .then(function (r) { if (!r.ok) throw new Error(r.status); return r.text(); })
    .then(function (html) {
      var list = box.querySelector(".picker-matches");
      var kept = Array.prototype.filter.call(list.querySelectorAll("label.check"), function (l) {
        return l.querySelector("input:checked");
      });
      list.innerHTML = html;
      kept.reverse().forEach(function (l) {
        var same = list.querySelector("input[value='" + l.querySelector("input").value + "']");
        if (same) { same.checked = true; } else { list.insertBefore(l, list.firstChild); }
      });
      box.querySelector("p.muted").hidden = true;
    })
    .catch(function () { f.submit(); });
});
// The booking form: of the fixed equipment, offer only the chosen room's (shared items stay).
function roomItems() {
  var room = document.getElementById("room_id");
  var box = document.getElementById("equipment-items");
  if (!room || !box) return;
  Array.prototype.forEach.call(box.querySelectorAll("input[data-room]"), function (i) {
    var mine = i.dataset.room === room.value;
    i.closest("label").hidden = !mine;
    if (!mine) i.checked = false;
  });
}
document.addEventListener("change", function (e) { if (e.target.id === "room_id") roomItems(); });
document.addEventListener("DOMContentLoaded", roomItems);
