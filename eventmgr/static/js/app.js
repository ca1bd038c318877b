/* eventmgr — small enhancements; every page works without them. */
(function () {
  "use strict";

  // "Select all on this page": a checkbox naming the form whose row boxes it ticks.
  document.querySelectorAll("input[data-select-all]").forEach(function (all) {
    var boxes = function () {
      return document.querySelectorAll('input[type=checkbox][name="' + all.dataset.selectAll + '"]');
    };
    all.addEventListener("change", function () {
      boxes().forEach(function (box) { box.checked = all.checked; });
    });
    boxes().forEach(function (box) {
      box.addEventListener("change", function () {
        all.checked = Array.prototype.every.call(boxes(), function (b) { return b.checked; });
      });
    });
  });

  // Long work (an import, a large mailing): say so and keep the button from being pressed twice.
  document.querySelectorAll("form[data-busy]").forEach(function (form) {
    form.addEventListener("submit", function () {
      var note = form.querySelector(".busy-note");
      if (!note) {
        note = document.createElement("p");
        note.className = "busy-note";
        note.setAttribute("role", "status");
        form.appendChild(note);
      }
      note.textContent = form.dataset.busy;
      window.setTimeout(function () {
        form.querySelectorAll("button[type=submit]").forEach(function (b) { b.disabled = true; });
      }, 0);
    });
  });

  // The web address of a new event or series follows its title until someone edits it.
  document.querySelectorAll("input[data-slug-from]").forEach(function (slug) {
    var source = document.getElementById(slug.dataset.slugFrom);
    if (!source) { return; }
    var edited = slug.value !== "";
    slug.addEventListener("input", function () { edited = slug.value !== ""; });
    source.addEventListener("input", function () {
      if (edited) { return; }
      slug.value = source.value.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase()
        .replace(/['\u2019]/g, "").replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "").slice(0, 80)
        .replace(/-+$/, "");
    });
  });
})();
