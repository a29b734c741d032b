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
  const image = button.parentElement.querySelector("img");
  if (image) {
    image.src = body.url;
    image.classList.remove("masked");
  }
  button.remove();
  const counter = document.getElementById("revealed-today");
  if (counter) counter.textContent = String(Number(counter.textContent) + 1);
}

document.addEventListener("click", (event) => {
  const target = event.target;
  if (target instanceof HTMLButtonElement && target.classList.contains("reveal")) {
    reveal(target);
  }
});
