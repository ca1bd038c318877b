/* The staff timetable: drag an item onto a free or taken slot to move it there (room and
   time, to the five minutes under the pointer), drag its lower edge to change its length.
   Both fill in the item's own "Move to" form and submit it, so the server decides (clashes,
   the event's dates) exactly as when the form is used with the keyboard. */
(function () {
  "use strict";
  var STEP = 5;

  function pad(number) { return (number < 10 ? "0" : "") + number; }

  function minutesOf(time) {
    var parts = time.split(":");
    return Number(parts[0]) * 60 + Number(parts[1]);
  }

  function asTime(minutes) { return pad(Math.floor(minutes / 60)) + ":" + pad(minutes % 60); }

  function field(form, name) { return form.querySelector("[name$='-" + name + "']"); }

  function rowHeight(cell) { return cell.getBoundingClientRect().height / (Number(cell.rowSpan) || 1); }

  function slotUnder(cell, clientY) {
    var offset = Math.max(0, Math.floor((clientY - cell.getBoundingClientRect().top) / rowHeight(cell)));
    var steps = Math.min(offset, (Number(cell.rowSpan) || 1) - 1);
    return asTime(minutesOf(cell.getAttribute("data-time")) + steps * STEP);
  }

  function submit(form) {
    if (form.requestSubmit) { form.requestSubmit(); } else { form.submit(); }
  }

  function placeForm(item) { return item.querySelector("form.tt-place"); }

  document.addEventListener("DOMContentLoaded", function () {
    var table = document.querySelector("table.timetable");
    var dragged = null;

    document.querySelectorAll(".tt-item[draggable=true]").forEach(function (item) {
      item.addEventListener("dragstart", function (event) {
        if (event.target.closest(".tt-tools, .tt-resize")) { event.preventDefault(); return; }
        dragged = item;
        item.classList.add("tt-dragging");
        event.dataTransfer.effectAllowed = "move";
        event.dataTransfer.setData("text/plain", item.getAttribute("data-id"));
      });
      item.addEventListener("dragend", function () {
        item.classList.remove("tt-dragging");
        dragged = null;
      });
    });

    if (!table) { return; }
    var day = table.getAttribute("data-day");
    table.querySelectorAll("td[data-time]").forEach(function (cell) {
      cell.addEventListener("dragover", function (event) {
        if (!dragged) { return; }
        event.preventDefault();
        cell.classList.add("tt-target");
      });
      cell.addEventListener("dragleave", function () { cell.classList.remove("tt-target"); });
      cell.addEventListener("drop", function (event) {
        event.preventDefault();
        cell.classList.remove("tt-target");
        if (!dragged) { return; }
        var form = placeForm(dragged);
        field(form, "day").value = day;
        field(form, "starts_at").value = slotUnder(cell, event.clientY);
        field(form, "room_id").value = cell.getAttribute("data-room");
        submit(form);
      });
    });

    table.querySelectorAll(".tt-resize").forEach(function (handle) {
      handle.addEventListener("pointerdown", function (event) {
        var item = handle.closest(".tt-item"), form = placeForm(item), cell = item.closest("td");
        var minutes = field(form, "minutes"), step = rowHeight(cell);
        var startY = event.clientY, startHeight = item.getBoundingClientRect().height;
        var before = Number(minutes.value) || STEP;
        event.preventDefault();
        handle.setPointerCapture(event.pointerId);
        item.classList.add("tt-resizing");
        function move(moveEvent) {
          var steps = Math.round((moveEvent.clientY - startY) / step);
          item.style.height = Math.max(step, startHeight + steps * step) + "px";
          minutes.value = Math.max(STEP, before + steps * STEP);
        }
        function stop() {
          handle.removeEventListener("pointermove", move);
          handle.removeEventListener("pointerup", stop);
          item.classList.remove("tt-resizing");
          if (Number(minutes.value) !== before) { submit(form); } else { item.style.height = ""; }
        }
        handle.addEventListener("pointermove", move);
        handle.addEventListener("pointerup", stop);
      });
    });

    var target = window.location.hash && document.getElementById(window.location.hash.slice(1));
    if (target) { target.classList.add("tt-moved"); }
  });
})();
