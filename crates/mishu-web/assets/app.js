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
