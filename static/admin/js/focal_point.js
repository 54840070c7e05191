/* The focal-point control on the photo form: click the photo (or use the arrow keys) to set
   what every crop keeps; the crop previews follow, cut as photos/renditions.py cuts them. */
"use strict";

(function () {
  function cropBox(width, height, focusX, focusY, ratioWidth, ratioHeight) {
    let boxWidth, boxHeight;
    if (width * ratioHeight > height * ratioWidth) {
      boxHeight = height;
      boxWidth = Math.max(1, Math.round((boxHeight * ratioWidth) / ratioHeight));
    } else {
      boxWidth = width;
      boxHeight = Math.max(1, Math.round((boxWidth * ratioHeight) / ratioWidth));
    }
    const left = Math.min(Math.max(focusX - Math.floor(boxWidth / 2), 0), width - boxWidth);
    const top = Math.min(Math.max(focusY - Math.floor(boxHeight / 2), 0), height - boxHeight);
    return { left: left, top: top, width: boxWidth, height: boxHeight };
  }

  function setUp(control) {
    const inputX = document.getElementById("id_focal_x");
    const inputY = document.getElementById("id_focal_y");
    const width = Number(control.dataset.width);
    const height = Number(control.dataset.height);
    const frame = control.querySelector(".focal-point-frame");
    const marker = control.querySelector(".focal-point-marker");
    const status = control.querySelector("#focal-point-status");
    const editable = Boolean(inputX && inputY);

    function point() {
      const x = editable && inputX.value !== "" ? Number(inputX.value) : Math.floor(width / 2);
      const y = editable && inputY.value !== "" ? Number(inputY.value) : Math.floor(height / 2);
      return { x: x, y: y };
    }

    function draw() {
      const focus = point();
      marker.style.left = (100 * focus.x) / width + "%";
      marker.style.top = (100 * focus.y) / height + "%";
      status.textContent =
        "Focal point: " + Math.round((100 * focus.x) / width) + "% across, " +
        Math.round((100 * focus.y) / height) + "% down" +
        (editable && inputX.value === "" ? " (the centre, until you choose)." : ".");
      control.querySelectorAll(".crop-frame").forEach(function (crop) {
        const ratioWidth = Number(crop.dataset.cropWidth);
        const ratioHeight = Number(crop.dataset.cropHeight);
        const box = cropBox(width, height, focus.x, focus.y, ratioWidth, ratioHeight);
        const image = crop.querySelector("img");
        crop.style.aspectRatio = box.width + " / " + box.height;
        image.style.width = (100 * width) / box.width + "%";
        image.style.left = (-100 * box.left) / box.width + "%";
        image.style.top = (-100 * box.top) / box.height + "%";
      });
    }

    function moveTo(x, y) {
      inputX.value = Math.min(Math.max(Math.round(x), 0), width - 1);
      inputY.value = Math.min(Math.max(Math.round(y), 0), height - 1);
      draw();
    }

    if (editable) {
      frame.classList.add("editable");
      frame.addEventListener("click", function (event) {
        const rect = frame.querySelector("img").getBoundingClientRect();
        moveTo(((event.clientX - rect.left) / rect.width) * width, ((event.clientY - rect.top) / rect.height) * height);
      });
      frame.addEventListener("keydown", function (event) {
        const step = (event.shiftKey ? 0.1 : 0.02) * Math.max(width, height);
        const moves = { ArrowLeft: [-step, 0], ArrowRight: [step, 0], ArrowUp: [0, -step], ArrowDown: [0, step] };
        const move = moves[event.key];
        if (move) {
          event.preventDefault();
          const focus = point();
          moveTo(focus.x + move[0], focus.y + move[1]);
        }
      });
      [inputX, inputY].forEach(function (input) {
        input.addEventListener("input", draw);
      });
    } else {
      frame.removeAttribute("tabindex");
    }
    draw();
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll(".focal-point").forEach(setUp);
  });
})();
