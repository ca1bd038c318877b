/* The staff timetable: drag an item onto a free or taken slot to move it there (room and
   time, to the five minutes under the pointer), drag its lower edge to change its length.
   Both submit the page's one placing form to the item's "Move to" address, so the server
   decides (clashes, the event's dates) exactly as when that form is used with the keyboard. */
(function () {
  "use strict";
  var STEP = 5;

  function pad(number) { return (number < 10 ? "0" : "") + number; }

  function minutesOf(time) {
    var parts = time.split(":");
    return Number(parts[0]) * 60 + Number(parts[1]);
  }

  function asTime(minutes) { return pad(Math.floor(minutes / 60)) + ":" + pad(minutes % 60); }

  function rowHeight(cell) { return cell.getBoundingClientRect().height / (Number(cell.rowSpan) || 1); }

  function slotUnder(cell, clientY) {
    var offset = Math.max(0, Math.floor((clientY - cell.getBoundingClientRect().top) / rowHeight(cell)));
    var steps = Math.min(offset, (Number(cell.rowSpan) || 1) - 1);
    return asTime(minutesOf(cell.getAttribute("data-time")) + steps * STEP);
  }

  function timeOf(item) {
    var when = (item.querySelector(".tt-when").textContent || "").match(/^(\d\d:\d\d)/);
    return when ? when[1] : "";
  }

  function place(item, values) {
    var form = document.getElementById("tt-place-form");
    form.action = item.getAttribute("data-place");
    ["day", "starts_at", "minutes", "room_id"].forEach(function (name) {
      form.elements[name].value = values[name] === undefined ? "" : values[name];
    });
    form.submit();
  }

  document.addEventListener("DOMContentLoaded", function () {
    var table = document.querySelector("table.timetable");
    if (!table) { return; }
    var day = table.getAttribute("data-day");
    var dragged = null;

    document.querySelectorAll(".tt-item[draggable=true]").forEach(function (item) {
      item.addEventListener("dragstart", function (event) {
        if (event.target.closest && event.target.closest(".tt-tools, .tt-resize")) { event.preventDefault(); return; }
        dragged = item;
        item.classList.add("tt-dragging");
        event.dataTransfer.effectAllowed = "move";
        event.dataTransfer.setData("text/plain", item.id);
      });
      item.addEventListener("dragend", function () {
        item.classList.remove("tt-dragging");
        dragged = null;
      });
    });

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
        place(dragged, {day: day, starts_at: slotUnder(cell, event.clientY), room_id: cell.getAttribute("data-room"),
                        minutes: dragged.getAttribute("data-minutes")});
      });
    });

    table.querySelectorAll(".tt-resize").forEach(function (handle) {
      handle.addEventListener("pointerdown", function (event) {
        var item = handle.closest(".tt-item"), cell = item.closest("td");
        var step = rowHeight(cell), startY = event.clientY, startHeight = item.getBoundingClientRect().height;
        var before = Number(item.getAttribute("data-minutes")) || STEP, minutes = before;
        event.preventDefault();
        handle.setPointerCapture(event.pointerId);
        item.classList.add("tt-resizing");
        function move(moveEvent) {
          var steps = Math.round((moveEvent.clientY - startY) / step);
          item.style.height = Math.max(step, startHeight + steps * step) + "px";
          minutes = Math.max(STEP, before + steps * STEP);
        }
        function stop() {
          handle.removeEventListener("pointermove", move);
          handle.removeEventListener("pointerup", stop);
          item.classList.remove("tt-resizing");
          if (minutes !== before) {
            place(item, {day: day, starts_at: timeOf(item), minutes: minutes,
                         room_id: cell.getAttribute("data-room")});
          } else {
            item.style.height = "";
          }
        }
        handle.addEventListener("pointermove", move);
        handle.addEventListener("pointerup", stop);
      });
    });

    var target = window.location.hash && document.getElementById(window.location.hash.slice(1));
    if (target) { target.classList.add("tt-moved"); }
  });
})();
