// Small behaviours the pages share; no inline scripts, so the CSP can forbid them.
document.addEventListener("change", (event) => {
  const el = event.target;
  if (el.matches("select[data-autosubmit]")) el.form.requestSubmit();
});
