/* The article change form: nothing typed is lost, and others editing are shown.

   - Unsaved changes: leaving the page asks first (beforeunload); every few seconds what was
     typed is kept on the server as this person's unsaved text (never applied to the story).
   - The workflow panel's buttons submit this form, so a step saves the edits with it.
   - A heartbeat tells the server the story is still open and lists who else has it open.
   - The body editor turns straight quotes into typographic ones (its spelling check is the
     browser's, left on: see BODY_EXTENSIONS). */
(function () {
  "use strict";
  const form = document.getElementById("article_form");
  if (!form) return;
  const settings = document.getElementById("article-editing");
  const csrf = () => (form.querySelector("[name=csrfmiddlewaretoken]") || {}).value || "";

  // The body editor (django-prose-editor, tiptap). It may be ready before or after this script
  // runs: take it from its "ready" event, or from the page (tiptap keeps itself on its element).
  const editors = [];
  function adopt(editor, textarea) {
    if (editors.some((known) => known.editor === editor)) return;
    editors.push({ editor, textarea });
    editor.view.dom.addEventListener("keydown", (key) => smartQuote(key, editor));
  }
  document.addEventListener("prose-editor:ready", (event) => adopt(event.detail.editor, event.detail.textarea));
  function adoptReady() {
    for (const wrapper of form.querySelectorAll(".prose-editor")) {
      const dom = wrapper.querySelector("[contenteditable].ProseMirror");
      const textarea = wrapper.querySelector("textarea");
      if (dom && dom.editor && textarea) adopt(dom.editor, textarea);
    }
  }

  function smartQuote(key, editor) {
    if (key.key !== '"' && key.key !== "'") return;
    if (key.ctrlKey || key.metaKey || key.altKey) return;
    const { from } = editor.state.selection;
    const before = from > 1 ? editor.state.doc.textBetween(from - 1, from, "\n", "\n") : "";
    const opening = before === "" || /[\s([{\u2014\u2013-]/.test(before);
    const marks = key.key === '"' ? (opening ? "\u201c" : "\u201d") : (opening ? "\u2018" : "\u2019");
    key.preventDefault();
    editor.chain().insertContent(marks).run();
  }

  function snapshot() {
    for (const { editor, textarea } of editors) textarea.value = editor.getHTML();
    const data = new FormData(form);
    const kept = [];
    for (const [name, value] of data.entries()) {
      if (name === "csrfmiddlewaretoken" || name.startsWith("workflow-")) continue;
      if (typeof value === "string") kept.push([name, value]);
    }
    return JSON.stringify(kept);
  }

  let initial = null;
  let lastKept = null;
  let submitting = false;
  // Editors initialise after the page; take the first snapshot once they have.
  window.addEventListener("load", () => setTimeout(() => {
    adoptReady();
    initial = lastKept = snapshot();
  }, 300));
  const dirty = () => initial !== null && snapshot() !== initial;

  form.addEventListener("submit", () => { submitting = true; });
  window.addEventListener("beforeunload", (event) => {
    if (!submitting && dirty()) {
      event.preventDefault();
      event.returnValue = "";
    }
  });

  if (!settings) return;

  function post(url, body) {
    return fetch(url, {
      method: "POST",
      body,
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrf() },
    });
  }

  function keepUnsavedText() {
    if (submitting || initial === null) return;
    const now = snapshot();
    if (now === lastKept || now === initial) return;
    const body = new FormData(form);
    post(settings.dataset.autosaveUrl, body).then((response) => {
      if (response.ok) lastKept = now;
    }).catch(() => {});
  }
  setInterval(keepUnsavedText, Number(settings.dataset.autosaveSeconds) * 1000);

  const others = document.getElementById("other-editors");
  function heartbeat() {
    if (!others) return;
    post(others.dataset.presenceUrl, new FormData()).then((response) => response.ok ? response.json() : null)
      .then((answer) => {
        if (!answer) return;
        others.hidden = answer.others.length === 0;
        others.textContent = answer.others.length
          ? `Also open for editing by ${answer.others.join(", ")}. Talk to them before you save: a save made from an older version is refused.`
          : "";
      }).catch(() => {});
  }
  setInterval(heartbeat, Number(settings.dataset.heartbeatSeconds) * 1000);
})();
