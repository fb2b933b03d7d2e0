// Mishu's only script: small progressive enhancements; every page works without it.
document.addEventListener("click", function (e) {
  var back = e.target.closest && e.target.closest("a[data-back]");
  if (back && window.history.length > 1) { e.preventDefault(); window.history.back(); }
});
// Keep a double click from submitting a form twice.
document.addEventListener("submit", function (e) {
  var f = e.target;
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
