// Complaint forms: sub categories follow the chosen category, the free-text detail is marked as
// needed for categories that need it (เรื่องอื่นๆ), and the status form shows only the fields the
// chosen status uses. The server checks everything again; without this script every field shows.
(function () {
  "use strict";

  const category = document.getElementById("category_id");
  const sub = document.getElementById("subcategory_id");
  const detail = document.getElementById("detail-label");

  function syncCategory() {
    if (!category || !sub) return;
    const chosen = category.value;
    let any = false;
    for (const opt of sub.options) {
      const parent = opt.dataset.parent || "";
      const show = parent === "" || parent === chosen;
      opt.hidden = !show;
      opt.disabled = !show;
      if (show && parent !== "") any = true;
    }
    if (sub.selectedOptions.length && sub.selectedOptions[0].hidden) sub.value = "";
    sub.closest("label").hidden = !any;
    if (detail) {
      const opt = category.selectedOptions[0];
      const needs = !!opt && opt.dataset.needsDetail === "1";
      detail.classList.toggle("required", needs);
    }
  }

  if (category && sub) {
    category.addEventListener("change", syncCategory);
    syncCategory();
  }

  const status = document.getElementById("to_status");
  const outcome = document.getElementById("outcome");

  function syncStatus() {
    const form = status.form;
    const closing = status.value === "closed";
    form.querySelectorAll(".close-only").forEach((el) => { el.hidden = !closing; });
    form.querySelectorAll(".duplicate-only").forEach((el) => {
      el.hidden = !(closing && outcome && outcome.value === "duplicate");
    });
    form.querySelectorAll(".forward-only").forEach((el) => { el.hidden = status.value !== "forwarded"; });
  }

  if (status) {
    status.addEventListener("change", syncStatus);
    if (outcome) outcome.addEventListener("change", syncStatus);
    syncStatus();
  }
})();
