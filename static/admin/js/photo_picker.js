/* The photo picker: a field's "Choose a photo…" opens the picker page in a popup; a choice there
   is handed back to the field by a message from the same origin. */
"use strict";

(function () {
  const MESSAGE = "newsroom:photo-picked";

  function show(widget, choice) {
    const input = document.getElementById(widget.dataset.target);
    const thumbnail = widget.querySelector(".photo-picker-thumbnail");
    input.value = choice ? choice.id : "";
    thumbnail.hidden = !choice;
    thumbnail.src = choice ? choice.thumbnail : "";
    widget.querySelector(".photo-picker-label").textContent = choice ? choice.label : "No photo chosen.";
    widget.querySelector(".photo-picker-clear").hidden = !choice;
    input.dispatchEvent(new Event("change", { bubbles: true }));
  }

  function setUpField(widget) {
    widget.querySelector(".photo-picker-open").addEventListener("click", function () {
      const url = new URL(widget.dataset.pickerUrl, window.location.href);
      url.searchParams.set("target", widget.dataset.target);
      window.open(url, "photo-picker", "width=960,height=720");
    });
    widget.querySelector(".photo-picker-clear").addEventListener("click", function () {
      show(widget, null);
    });
  }

  window.addEventListener("message", function (event) {
    if (event.origin !== window.location.origin || !event.data || event.data.type !== MESSAGE) {
      return;
    }
    const widget = document.querySelector('.photo-picker[data-target="' + CSS.escape(event.data.target) + '"]');
    if (widget) {
      show(widget, event.data);
    }
  });

  function setUpPicker(page) {
    page.addEventListener("click", function (event) {
      const choice = event.target.closest(".photo-picker-choice");
      if (!choice || !window.opener) {
        return;
      }
      window.opener.postMessage(
        {
          type: MESSAGE,
          target: page.dataset.target,
          id: choice.dataset.photoId,
          thumbnail: choice.dataset.thumbnail,
          label: choice.dataset.label,
        },
        window.location.origin,
      );
      window.close();
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll(".photo-picker").forEach(setUpField);
    document.querySelectorAll(".photo-picker-page").forEach(setUpPicker);
  });
})();
