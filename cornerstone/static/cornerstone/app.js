// Small behaviours the pages share; no inline scripts, so the CSP can forbid them.
document.addEventListener("change", (event) => {
  const el = event.target;
  if (el.matches("select[data-autosubmit]")) el.form.requestSubmit();
});

// A destructive button asks first: <button data-confirm="…">.
document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-confirm]");
  if (button && !window.confirm(button.dataset.confirm)) event.preventDefault();
});

// <button data-print> prints the page (the wall chart's A3 sheet).
document.addEventListener("click", (event) => {
  if (event.target.closest("[data-print]")) window.print();
});

// Progress bars carry their width as data-width (percent): set through the DOM, as the
// CSP allows, on load and whenever htmx swaps new ones in.
function progressWidths(root) {
  root.querySelectorAll("[data-width]").forEach((bar) => {
    bar.style.width = `${Number(bar.dataset.width) || 0}%`;
  });
}
document.addEventListener("DOMContentLoaded", () => progressWidths(document));
document.addEventListener("htmx:afterSettle", (event) => progressWidths(event.target));
