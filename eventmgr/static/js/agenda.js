/* Agenda session form: a new item's end follows the default length of its kind until the
   organizer sets one; the type-ahead picker asks the server for people, organizations and
   States as the organizer types (an ARIA combobox, usable with the keyboard). */
(function () {
  "use strict";

  function minutesOf(value) {
    var parts = (value || "").split(":");
    return parts.length >= 2 ? Number(parts[0]) * 60 + Number(parts[1]) : null;
  }

  function asTime(minutes) {
    if (minutes >= 24 * 60) { return ""; }
    var hours = Math.floor(minutes / 60), rest = minutes % 60;
    return (hours < 10 ? "0" : "") + hours + ":" + (rest < 10 ? "0" : "") + rest;
  }

  function defaultLengths(form) {
    var when = form.querySelector(".when-fields");
    if (!when) { return; }
    var lengths = JSON.parse(when.getAttribute("data-lengths") || "{}");
    var kind = form.querySelector("#kind"), start = form.querySelector("#starts_at"),
        end = form.querySelector("#ends_at");
    if (!kind || !start || !end) { return; }
    var touched = false;
    end.addEventListener("input", function () { touched = true; });
    function follow() {
      var from = minutesOf(start.value);
      if (touched || from === null || !lengths[kind.value]) { return; }
      end.value = asTime(from + lengths[kind.value]);
    }
    kind.addEventListener("change", follow);
    start.addEventListener("change", follow);
  }

  function picker(box) {
    var input = box.querySelector("input[type=text]");
    var form = box.closest("form");
    var hidden = form.querySelector("input[name=holder][type=hidden]");
    var functionField = form.querySelector("#function");
    var chosen = box.querySelector(".picker-chosen");
    if (!input || !hidden) { return; }
    var list = document.createElement("ul");
    list.id = input.id + "-options";
    list.className = "picker-options";
    list.setAttribute("role", "listbox");
    list.hidden = true;
    input.after(list);
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", list.id);
    input.setAttribute("autocomplete", "off");
    var results = [], active = -1, timer = null, asked = "";

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function highlight(index) {
      var options = list.querySelectorAll("[role=option]");
      options.forEach(function (option, i) { option.setAttribute("aria-selected", i === index ? "true" : "false"); });
      active = index;
      if (options[index]) {
        input.setAttribute("aria-activedescendant", options[index].id);
        options[index].scrollIntoView({block: "nearest"});
      }
    }

    function choose(index) {
      var result = results[index];
      if (!result) { return; }
      hidden.value = result.value;
      input.value = result.label;
      chosen.textContent = "Chosen: " + result.label + (result.detail ? " — " + result.detail : "");
      if (functionField && !functionField.value && result.position) { functionField.value = result.position; }
      close();
    }

    function show(found) {
      results = found;
      list.textContent = "";
      found.forEach(function (result, index) {
        var option = document.createElement("li");
        option.id = list.id + "-" + index;
        option.setAttribute("role", "option");
        option.setAttribute("aria-selected", "false");
        var name = document.createElement("span");
        name.className = "picker-name";
        name.textContent = result.label;
        var detail = document.createElement("span");
        detail.className = "picker-detail";
        detail.textContent = result.detail;
        option.append(name, detail);
        option.addEventListener("mousedown", function (event) { event.preventDefault(); choose(index); });
        list.append(option);
      });
      if (!found.length) {
        var none = document.createElement("li");
        none.className = "picker-none";
        none.textContent = "Nobody found: enter a new person below.";
        list.append(none);
      }
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
    }

    function ask() {
      var text = input.value.trim();
      if (text.length < 2) { close(); return; }
      asked = text;
      fetch(box.getAttribute("data-search-url") + "?q=" + encodeURIComponent(text),
            {headers: {"Accept": "application/json"}, credentials: "same-origin"})
        .then(function (response) { return response.ok ? response.json() : {results: []}; })
        .then(function (data) { if (asked === text) { show(data.results || []); } })
        .catch(close);
    }

    input.addEventListener("input", function () {
      hidden.value = "";
      chosen.textContent = "";
      clearTimeout(timer);
      timer = setTimeout(ask, 150);
    });
    input.addEventListener("keydown", function (event) {
      if (list.hidden) { return; }
      if (event.key === "ArrowDown") { event.preventDefault(); highlight(Math.min(active + 1, results.length - 1)); }
      else if (event.key === "ArrowUp") { event.preventDefault(); highlight(Math.max(active - 1, 0)); }
      else if (event.key === "Enter" && active >= 0) { event.preventDefault(); choose(active); }
      else if (event.key === "Escape") { close(); }
    });
    input.addEventListener("blur", function () { setTimeout(close, 100); });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form.session-form").forEach(defaultLengths);
    document.querySelectorAll(".picker[data-search-url]").forEach(picker);
  });
})();
