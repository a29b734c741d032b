// vidtrace workbench: Trace an Object. On the media page, a polygon clicked inside the box and
// the "propose as object" form; on a proposal's page, the audited clear preview. No inline
// scripts or styles (the page's Content-Security-Policy forbids them).
"use strict";

function objectsCsrfToken() {
  const meta = document.querySelector('meta[name="csrf-token"]');
  return meta ? meta.getAttribute("content") : "";
}

// The polygon: while "draw a polygon" is pressed, each click on the picture adds a corner (as
// fractions of the picture, like the box). Clicks are taken before app.js's box dragging sees
// them, so drawing a polygon never moves the box.
function setupPolygon() {
  const stage = document.getElementById("stage");
  const toggle = document.getElementById("polygon-toggle");
  const clear = document.getElementById("polygon-clear");
  const field = document.getElementById("polygon-field");
  const outline = document.getElementById("polygon-outline");
  const count = document.getElementById("polygon-count");
  if (!stage || !toggle || !field || !outline) return;
  const shape = outline.querySelector("polygon");
  let points = [];
  let drawing = false;

  const show = () => {
    shape.setAttribute("points", points.map(([x, y]) => `${x},${y}`).join(" "));
    outline.classList.toggle("is-hidden", points.length === 0);
    field.value = points.length >= 3 ? points.map(([x, y]) => `${x.toFixed(4)},${y.toFixed(4)}`).join(";") : "";
    if (count) count.textContent = points.length ? `${points.length} corners${points.length < 3 ? " (3 at least)" : ""}` : "no polygon";
  };
  const setDrawing = (on) => {
    drawing = on;
    toggle.setAttribute("aria-pressed", String(on));
    toggle.textContent = on ? "done with the polygon" : "draw a polygon";
    stage.classList.toggle("drawing-polygon", on);
  };

  toggle.addEventListener("click", () => setDrawing(!drawing));
  if (clear) clear.addEventListener("click", () => { points = []; show(); });
  stage.addEventListener("pointerdown", (event) => {
    if (!drawing) return;
    event.preventDefault();
    event.stopImmediatePropagation(); // app.js would start a new box
    const rect = stage.getBoundingClientRect();
    const clamp = (v) => Math.min(1, Math.max(0, v));
    points.push([clamp((event.clientX - rect.left) / rect.width), clamp((event.clientY - rect.top) / rect.height)]);
    show();
  }, { capture: true });
  show();
}

// The proposal posts in the background: a refusal (no box, a box too small, no title) is
// shown next to the form; on success the browser goes to the new proposal's page.
function setupProposeForm() {
  const form = document.getElementById("propose-form");
  if (!form) return;
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const box = document.getElementById("box-field");
    const error = document.getElementById("object-error");
    form.querySelector("input[name=box]").value = box ? box.value : "";
    if (!form.querySelector("input[name=box]").value) {
      if (error) error.textContent = "drag a box over the picture first";
      return;
    }
    const response = await fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      headers: { Accept: "application/json", "X-CSRF-Token": objectsCsrfToken() },
      credentials: "same-origin",
    });
    const body = await response.json().catch(() => ({}));
    if (response.ok && body.url) {
      window.location.href = body.url;
      return;
    }
    if (error) error.textContent = body.error || "the object could not be proposed";
  });
}

// A proposal's page shows the crop masked; the clear one is fetched only on request, and
// that request is itself written to the audit log.
function setupPreview() {
  const button = document.querySelector("button.show-preview");
  const image = document.getElementById("object-image");
  if (!button || !image) return;
  button.addEventListener("click", () => {
    image.src = button.dataset.src;
    image.classList.remove("masked");
    image.alt = "the sanitised crop";
    button.remove();
  });
}

document.addEventListener("DOMContentLoaded", () => {
  setupPolygon();
  setupProposeForm();
  setupPreview();
});
