// vidtrace workbench: small progressive enhancements, no dependencies.
// Reveal is per item: the clear image is requested only after the audited POST succeeds.
"use strict";

function csrfToken() {
  const meta = document.querySelector('meta[name="csrf-token"]');
  return meta ? meta.getAttribute("content") : "";
}

async function reveal(button) {
  const sha = button.dataset.sha;
  const response = await fetch(`/media/${sha}/reveal`, {
    method: "POST",
    headers: { "X-CSRF-Token": csrfToken() },
    credentials: "same-origin",
  });
  const body = await response.json().catch(() => ({}));
  if (!response.ok) {
    button.textContent = body.error || "cannot reveal";
    button.disabled = true;
    return;
  }
  const video = document.getElementById("item-video");
  if (button.dataset.kind === "video" && video) {
    video.src = body.url; // set only now: nothing of the video loads before the audited reveal
  } else {
    const image = button.parentElement.querySelector("img");
    if (image) {
      image.src = body.url;
      image.classList.remove("masked");
    }
  }
  button.remove();
  const counter = document.getElementById("revealed-today");
  if (counter) counter.textContent = String(Number(counter.textContent) + 1);
}

// A series reveal is an explicit choice: it asks first, then reveals each item on the page
// through the same audited per-item reveal.
async function revealSeries() {
  const buttons = [...document.querySelectorAll("ul.grid button.reveal")];
  if (!buttons.length) return;
  if (!window.confirm(`Reveal all ${buttons.length} items on this page? Each reveal is audited.`)) return;
  for (const button of buttons) await reveal(button);
}

document.addEventListener("click", (event) => {
  const target = event.target;
  if (!(target instanceof HTMLButtonElement)) return;
  if (target.classList.contains("reveal")) reveal(target);
  else if (target.classList.contains("reveal-series")) revealSeries();
  else if (target.classList.contains("show-help")) toggleHelp();
});

// Drawing a box: drag over the picture; the box is kept as fractions of its width and height,
// so it holds on the original as on the masked thumbnail.
function setupBoxDrawing() {
  const stage = document.getElementById("stage");
  const box = document.getElementById("box");
  const field = document.getElementById("box-field");
  if (!stage || !box || !field) return;
  let start = null;
  const fraction = (event) => {
    const rect = stage.getBoundingClientRect();
    const clamp = (v) => Math.min(1, Math.max(0, v));
    return [clamp((event.clientX - rect.left) / rect.width), clamp((event.clientY - rect.top) / rect.height)];
  };
  const draw = (a, b) => {
    const [x, y] = [Math.min(a[0], b[0]), Math.min(a[1], b[1])];
    const [w, h] = [Math.abs(a[0] - b[0]), Math.abs(a[1] - b[1])];
    Object.assign(box.style, { left: `${x * 100}%`, top: `${y * 100}%`, width: `${w * 100}%`, height: `${h * 100}%` });
    box.hidden = false;
    return [x, y, w, h];
  };
  stage.addEventListener("pointerdown", (event) => {
    event.preventDefault();
    start = fraction(event);
    stage.setPointerCapture(event.pointerId);
  });
  stage.addEventListener("pointermove", (event) => { if (start) draw(start, fraction(event)); });
  stage.addEventListener("pointerup", (event) => {
    if (!start) return;
    const [x, y, w, h] = draw(start, fraction(event));
    start = null;
    if (w > 0.005 && h > 0.005) {
      field.value = [x, y, w, h].map((v) => v.toFixed(4)).join(",");
      const form = document.getElementById("clue-form");
      if (form) form.querySelector("select, input[name=value]").focus();
    } else {
      field.value = "";
      box.hidden = true;
    }
  });
}

// Clues already marked show their boxes; placed from data attributes because the page's
// Content-Security-Policy forbids inline styles.
function placeStoredBoxes() {
  for (const box of document.querySelectorAll(".box.stored[data-box]")) {
    const [x, y, w, h] = box.dataset.box.split(",").map(Number);
    if ([x, y, w, h].some(Number.isNaN)) continue;
    Object.assign(box.style, { left: `${x * 100}%`, top: `${y * 100}%`, width: `${w * 100}%`, height: `${h * 100}%` });
  }
}

// The clue form posts in the background so a refusal (an unknown country code, a missing
// value) is shown next to the form instead of replacing the page.
function setupClueForm() {
  const form = document.getElementById("clue-form");
  if (!form) return;
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const response = await fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      headers: { Accept: "application/json", "X-CSRF-Token": csrfToken() },
      credentials: "same-origin",
    });
    if (response.ok) {
      window.location.reload();
      return;
    }
    const body = await response.json().catch(() => ({}));
    const error = document.getElementById("clue-error");
    if (error) error.textContent = body.error || "the clue could not be stored";
  });
}

function toggleHelp() {
  const help = document.getElementById("shortcut-help");
  if (help) help.hidden = !help.hidden;
}

function go(rel) {
  const link = document.querySelector(`a[rel="${rel}"]`);
  if (link) window.location.href = link.getAttribute("href");
}

document.addEventListener("keydown", (event) => {
  const target = event.target;
  if (target instanceof HTMLInputElement || target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) return;
  if (event.ctrlKey || event.metaKey || event.altKey) return;
  const actions = {
    j: () => go("next"),
    ArrowRight: () => go("next"),
    k: () => go("prev"),
    ArrowLeft: () => go("prev"),
    r: () => { const b = document.getElementById("reveal-item"); if (b) reveal(b); },
    m: () => { const f = document.querySelector("#clue-form select"); if (f) f.focus(); },
    g: () => { window.location.href = "/"; },
    "?": toggleHelp,
  };
  const action = actions[event.key];
  if (action) {
    event.preventDefault();
    action();
  }
});

document.addEventListener("DOMContentLoaded", () => {
  setupBoxDrawing();
  placeStoredBoxes();
  setupClueForm();
});
