// Name every rich-text editor of the admin by its field's label, or by its block's heading in
// a StreamField (axe: aria-input-field-name). Draftail renders a textbox without a name; the
// entry form already passes `ariaLabelledBy` from the server, this covers editors added later.
(() => {
  const EDITORS = '.public-DraftEditor-content[role="textbox"]:not([aria-labelledby]):not([aria-label])';
  let counter = 0;

  const labelFor = (editor) => {
    const wrapper = editor.closest('.w-field__wrapper');
    const label = wrapper && wrapper.querySelector('label.w-field__label');
    if (label) {
      if (!label.id) {
        counter += 1;
        label.id = `rich-text-label-${counter}`;
      }
      return label.id;
    }
    const section = editor.closest('section[aria-labelledby]');
    return section ? section.getAttribute('aria-labelledby') : null;
  };

  const nameEditors = () => {
    document.querySelectorAll(EDITORS).forEach((editor) => {
      const id = labelFor(editor);
      if (id) editor.setAttribute('aria-labelledby', id);
    });
  };

  const start = () => {
    nameEditors();
    new MutationObserver(nameEditors).observe(document.body, { childList: true, subtree: true });
  };
  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', start);
  } else {
    start();
  }
})();
