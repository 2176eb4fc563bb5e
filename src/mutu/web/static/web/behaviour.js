// Page behaviour that would otherwise be inline handlers, which the Content Security Policy
// forbids (src/mutu/web/security.py, docs/security.md).
//   data-select-on-focus  select a field's text when it gets focus (links to copy)
//   data-print            print the page when clicked
document.addEventListener("focusin", (event) => {
  const field = event.target;
  if (field instanceof HTMLInputElement || field instanceof HTMLTextAreaElement) {
    if (field.hasAttribute("data-select-on-focus")) field.select();
  }
});
document.addEventListener("click", (event) => {
  const target = event.target instanceof Element ? event.target.closest("[data-print]") : null;
  if (target) window.print();
});
