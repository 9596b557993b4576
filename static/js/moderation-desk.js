/* The moderation desk (comments/admin_desk.py): the queue's row buttons act in place, and
 * WordPress's keyboard shortcuts drive them. Without this script every button is a plain
 * POST that comes back to the same list; with it, the same POST is sent by fetch() and its
 * JSON answer updates the row, the counts above the list and a polite live region. */
(function () {
  "use strict";

  var TYPING = /^(textarea|select)$/i;
  var KEYS = { a: "a", u: "u", s: "s", d: "d", z: "z", r: "r" };

  function ready(fn) {
    if (document.readyState !== "loading") fn();
    else document.addEventListener("DOMContentLoaded", fn);
  }

  ready(function () {
    var form = document.getElementById("desk-action");
    var table = document.getElementById("result_list");
    var announcer = document.getElementById("desk-announcer");
    var help = document.getElementById("desk-shortcuts");
    if (!form || !table) return;
    var text = form.dataset; // the page's words, translated by the template
    var view = new URLSearchParams(window.location.search).get("status") || "";
    var selected = null;

    function rows() {
      return Array.prototype.filter.call(table.tBodies[0].rows, function (row) {
        return !row.hidden && !row.classList.contains("desk-inline-reply");
      });
    }

    function rowOf(pk) {
      var box = table.querySelector('input.action-select[value="' + pk + '"]');
      return box ? box.closest("tr") : null;
    }

    function pkOf(row) {
      var box = row && row.querySelector("input.action-select");
      return box ? box.value : "";
    }

    function select(row) {
      if (selected) selected.classList.remove("desk-selected");
      selected = row;
      if (!row) return;
      row.classList.add("desk-selected");
      row.tabIndex = -1;
      row.focus({ preventScroll: true });
      row.scrollIntoView({ block: "nearest" });
    }

    function move(step) {
      var list = rows();
      if (!list.length) return;
      var at = list.indexOf(selected);
      if (at === -1) return select(list[step > 0 ? 0 : list.length - 1]);
      select(list[Math.min(Math.max(at + step, 0), list.length - 1)]);
    }

    function announce(message, undo, pk) {
      announcer.textContent = message;
      if (undo) {
        var button = document.createElement("button");
        button.type = "submit";
        button.className = "desk-undo";
        button.setAttribute("form", "desk-action");
        button.formAction = undo.url;
        button.dataset.pk = pk;
        button.textContent = undo.label;
        announcer.append(" ", button);
      }
    }

    function updateCounts(counts) {
      document.querySelectorAll(".desk-count[data-status]").forEach(function (count) {
        var value = counts[count.dataset.status];
        if (value !== undefined) count.textContent = value;
      });
      // The status filter beside the list: "Pending (3)".
      document.querySelectorAll("#changelist-filter a[href*='status=']").forEach(function (link) {
        var value = counts[new URLSearchParams(link.search).get("status")];
        if (value !== undefined) {
          link.textContent = link.textContent.replace(/\(\d+\)\s*$/, "(" + value + ")");
        }
      });
      // Every admin page's "3 comments awaiting moderation".
      var pending = document.querySelector(".comments-pending a");
      if (pending && counts.pending !== undefined) {
        var n = counts.pending;
        pending.textContent = n === 0 ? pending.dataset.none
          : n === 1 ? pending.dataset.one : pending.dataset.many.replace("N", n);
      }
    }

    function update(row, data) {
      updateCounts(data.counts);
      if (!row) return;
      var leaves = data.deleted || (view && data.status !== view);
      if (leaves) {
        if (row === selected) {
          var list = rows();
          var at = list.indexOf(row);
          select(list[at + 1] || list[at - 1] || null);
        }
        row.hidden = true;
        var reply = row.nextElementSibling;
        if (reply && reply.classList.contains("desk-inline-reply")) reply.remove();
        return;
      }
      row.hidden = false;
      var status = row.querySelector(".field-status");
      if (status) status.textContent = data.status_label;
      var actions = row.querySelector(".desk-row-actions");
      if (actions) actions.outerHTML = data.actions;
    }

    function post(url, body) {
      return fetch(url, {
        method: "POST",
        body: body,
        credentials: "same-origin",
        headers: { Accept: "application/json" },
      }).then(function (response) {
        return response.json().catch(function () {
          return { errors: [response.status + " " + response.statusText] };
        }).then(function (data) {
          data.ok = response.ok;
          return data;
        });
      });
    }

    form.addEventListener("submit", function (event) {
      var button = event.submitter;
      if (!button || !button.formAction) return;
      event.preventDefault();
      var row = button.dataset.pk ? rowOf(button.dataset.pk) : button.closest("tr");
      var pk = pkOf(row) || button.dataset.pk;
      if (row) row.classList.add("desk-busy");
      post(button.formAction, new FormData(form))
        .then(function (data) {
          if (row) row.classList.remove("desk-busy");
          if (!data.ok) {
            announce((data.errors || []).join(" ") || text.failed);
            return;
          }
          update(row, data);
          announce(data.message, data.undo, pk);
        })
        .catch(function () {
          if (row) row.classList.remove("desk-busy");
          announce(text.offline);
        });
    });

    function openReply(link) {
      var row = link.closest("tr");
      var open = row.nextElementSibling;
      if (open && open.classList.contains("desk-inline-reply")) {
        open.querySelector("textarea").focus();
        return;
      }
      var line = document.createElement("tr");
      line.className = "desk-inline-reply";
      var cell = line.insertCell();
      cell.colSpan = row.cells.length;
      var reply = document.createElement("form");
      var id = "desk-reply-" + pkOf(row);
      var label = document.createElement("label");
      label.htmlFor = id;
      label.textContent = link.textContent + ": " + text.yourReply;
      var box = document.createElement("textarea");
      box.id = id;
      box.name = "comment";
      box.rows = 4;
      box.required = true;
      var errors = document.createElement("div");
      errors.setAttribute("role", "alert");
      var send = document.createElement("button");
      send.type = "submit";
      send.textContent = link.textContent;
      var cancel = document.createElement("button");
      cancel.type = "button";
      cancel.textContent = text.cancel;
      reply.append(label, document.createElement("br"), box, errors, send, " ", cancel);
      cell.append(reply);
      row.after(line);
      box.focus();

      function close() {
        line.remove();
        select(row);
      }
      cancel.addEventListener("click", close);
      box.addEventListener("keydown", function (event) {
        if (event.key === "Escape") close();
      });
      reply.addEventListener("submit", function (event) {
        event.preventDefault();
        var body = new FormData(form);
        body.append("comment", box.value);
        send.disabled = true;
        post(link.href, body).then(function (data) {
          send.disabled = false;
          if (!data.ok) {
            errors.textContent = (data.errors || []).join(" ");
            box.focus();
            return;
          }
          line.remove();
          update(row, data);
          select(row.hidden ? selected : row);
          announce(data.message);
        }).catch(function () {
          send.disabled = false;
          errors.textContent = text.replyOffline;
        });
      });
    }

    table.addEventListener("click", function (event) {
      var link = event.target.closest("a.desk-reply");
      if (!link) return;
      event.preventDefault();
      select(link.closest("tr"));
      openReply(link);
    });

    table.addEventListener("focusin", function (event) {
      var row = event.target.closest("tbody tr");
      if (row && !row.classList.contains("desk-inline-reply") && row !== selected) {
        if (selected) selected.classList.remove("desk-selected");
        selected = row;
        row.classList.add("desk-selected");
      }
    });

    document.addEventListener("keydown", function (event) {
      if (event.ctrlKey || event.metaKey || event.altKey || event.defaultPrevented) return;
      var target = event.target;
      if (
        TYPING.test(target.tagName) ||
        target.isContentEditable ||
        (target.tagName === "INPUT" && !/^(checkbox|radio|button|submit)$/i.test(target.type))
      ) {
        return; // never while typing
      }
      if (event.key === "?") {
        help.open = !help.open;
        if (help.open) help.querySelector("summary").focus();
        event.preventDefault();
        return;
      }
      if (event.key === "j" || event.key === "k") {
        move(event.key === "j" ? 1 : -1);
        event.preventDefault();
        return;
      }
      var key = KEYS[event.key];
      if (!key || !selected) return;
      var control = selected.querySelector('.desk-row-actions [data-key="' + key + '"]');
      if (!control) return;
      event.preventDefault();
      control.click();
    });
  });
})();
