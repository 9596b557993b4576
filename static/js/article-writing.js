/* The article form's writing desk (articles/forms.py, admin/articles/article/change_form.html):
 *
 * - a formatting toolbar above the body (bold, italic, link, subheading, quote, lists), with
 *   Ctrl/Cmd+B, I and K; each edit goes through the browser's own "insert text" so Ctrl+Z
 *   undoes it like typing;
 * - a live preview beside the body: the fields are posted to the admin's preview view as the
 *   editor pauses, and its answer, rendered by the site's own renderer, is shown in a shadow
 *   root with the site's stylesheet (the admin's styles stay out, the site's stay in);
 * - the body's word count and reading time, and the headline's and standfirst's lengths
 *   against what search results show, warning past them (and saying so, politely, once).
 *
 * The numbers come from the fields' data attributes (articles/writing.py), the words from the
 * page's <template id="article-writing">, translated there. Without this script the fields
 * are plain ones and the Preview button in the submit row opens the preview in a new tab.
 *
 * Hook for other scripts (an image button, say): once the toolbar is ready, the body's
 * textarea has a `bodyEditor` property and fires "body-editor:ready" (bubbling) with it as
 * `detail`:
 *   bodyEditor.addButton(label, run, {shortcut: "m", group: "media"}) -> <button>
 *   bodyEditor.insert(text)            replaces the selection, undoably
 *   bodyEditor.wrap(before, after, placeholder)
 *   bodyEditor.refreshPreview()
 * A script that runs later than this one reads textarea.bodyEditor instead of waiting. */
(function () {
  "use strict";

  var PREVIEW_DELAY_MS = 500;
  var FIELDS_PREVIEWED = ["headline", "standfirst", "dateline", "body"];

  function ready(fn) {
    if (document.readyState !== "loading") fn();
    else document.addEventListener("DOMContentLoaded", fn);
  }

  function fill(text, values) {
    return text.replace(/\{(\w+)\}/g, function (whole, name) {
      return name in values ? values[name] : whole;
    });
  }

  var numbers = new Intl.NumberFormat(document.documentElement.lang || undefined);

  // Characters as Python counts them (code points), not UTF-16 units.
  function length(text) {
    return Array.from(text).length;
  }

  // Words of the text an article shows: Markdown's link addresses and line markers left out.
  var WORD = /[\p{L}\p{N}]+(?:['’.\-][\p{L}\p{N}]+)*/gu;
  function countWords(markdown) {
    var text = markdown
      .replace(/\]\([^)\s]*\)/g, "]")
      .replace(/^[ \t]{0,3}(?:#{1,6}|>|[-*+]|\d+[.)])(?=\s)/gm, "");
    var found = text.match(WORD);
    return found ? found.length : 0;
  }

  // --- Editing the text -------------------------------------------------------------------

  // Replace value[start:end] with text, as typing would (so Ctrl+Z undoes it), then select
  // [selectStart, selectEnd].
  function replaceRange(area, start, end, text, selectStart, selectEnd) {
    area.focus();
    area.setSelectionRange(start, end);
    var inserted = false;
    try {
      inserted = document.execCommand("insertText", false, text);
    } catch (error) {
      inserted = false;
    }
    if (!inserted || area.value.slice(start, start + text.length) !== text) {
      // Browsers without execCommand in a textarea: the same edit, without undo.
      area.setRangeText(text, start, end, "end");
      area.dispatchEvent(new InputEvent("input", { bubbles: true, inputType: "insertText", data: text }));
    }
    area.setSelectionRange(selectStart, selectEnd);
  }

  function trimmedSelection(area) {
    var value = area.value;
    var start = area.selectionStart;
    var end = area.selectionEnd;
    while (start < end && /\s/.test(value[start])) start++;
    while (end > start && /\s/.test(value[end - 1])) end--;
    return { start: start, end: end, text: value.slice(start, end) };
  }

  function starsBefore(value, index) {
    var n = 0;
    while (index - n - 1 >= 0 && value[index - n - 1] === "*") n++;
    return n;
  }

  function starsAfter(value, index) {
    var n = 0;
    while (value[index + n] === "*") n++;
    return n;
  }

  // Is a run of n stars on each side this emphasis? ** is bold (2 or 3), * italic (1 or 3).
  function marks(n, marker) {
    return marker === "**" ? n >= 2 : n % 2 === 1;
  }

  // Bold or italic: wrap the selection in the marker, or unwrap it if it is wrapped already.
  function toggleEmphasis(area, marker, placeholder) {
    var value = area.value;
    var sel = trimmedSelection(area);
    var m = marker.length;
    var outside = Math.min(starsBefore(value, sel.start), starsAfter(value, sel.end));
    if (sel.text && marks(outside, marker)) {
      replaceRange(area, sel.start - m, sel.end + m, sel.text, sel.start - m, sel.end - m);
      return;
    }
    var inside = Math.min(starsAfter(sel.text, 0), starsBefore(sel.text, sel.text.length));
    if (sel.text.length > 2 * m && marks(inside, marker)) {
      var inner = sel.text.slice(m, sel.text.length - m);
      replaceRange(area, sel.start, sel.end, inner, sel.start, sel.start + inner.length);
      return;
    }
    var words = sel.text || placeholder;
    replaceRange(
      area, sel.start, sel.end, marker + words + marker,
      sel.start + m, sel.start + m + words.length
    );
  }

  // A link: the selection becomes its text and the address is selected to type or paste over;
  // a selected address becomes the address and its text is selected instead.
  function link(area, placeholder) {
    var sel = trimmedSelection(area);
    if (/^(https?:\/\/|mailto:)\S+$/i.test(sel.text)) {
      replaceRange(
        area, sel.start, sel.end, "[" + placeholder + "](" + sel.text + ")",
        sel.start + 1, sel.start + 1 + placeholder.length
      );
      return;
    }
    var words = sel.text || placeholder;
    var address = "https://";
    var text = "[" + words + "](" + address + ")";
    var at = sel.start + words.length + 3;
    replaceRange(area, sel.start, sel.end, text, at, at + address.length);
  }

  var LINE_MARKERS = {
    heading: /^#{1,6}[ \t]+/,
    quote: /^>[ \t]?/,
    bullets: /^[-*+][ \t]+/,
    numbers: /^\d+[.)][ \t]+/,
  };
  var BLOCK_MARKER = /^(?:#{1,6}|[-*+]|\d+[.)])[ \t]+/;

  // Subheading, quote and lists mark whole lines: on every line the selection touches, add
  // the marker, or take it off if every line has it already.
  function toggleLines(area, kind) {
    var value = area.value;
    var collapsed = area.selectionStart === area.selectionEnd;
    var start = value.lastIndexOf("\n", area.selectionStart - 1) + 1;
    var selEnd = area.selectionEnd;
    if (!collapsed && value[selEnd - 1] === "\n") selEnd--;
    var end = value.indexOf("\n", selEnd);
    if (end === -1) end = value.length;
    var lines = value.slice(start, end).split("\n");
    var written = lines.filter(function (line) { return line.trim(); });
    var marked = written.length > 0 && written.every(function (line) {
      return LINE_MARKERS[kind].test(line);
    });
    var n = 0;
    var result = lines.map(function (line) {
      if (marked) return line.replace(LINE_MARKERS[kind], "");
      if (kind === "quote") return line.trim() ? "> " + line : ">";
      if (!line.trim()) return line;
      n++;
      var bare = line.replace(BLOCK_MARKER, "");
      if (kind === "heading") return "## " + bare;
      if (kind === "bullets") return "- " + bare;
      return n + ". " + bare;
    }).join("\n");
    var after = start + result.length;
    replaceRange(area, start, end, result, collapsed ? after : start, after);
  }

  // --- The toolbar ------------------------------------------------------------------------

  function setUpToolbar(area, toolbar) {
    var isMac = /Mac|iPhone|iPad/.test(navigator.platform || navigator.userAgent);
    var shortcuts = {};

    function run(button) {
      var format = button.dataset.format;
      var placeholder = button.dataset.placeholder || "";
      if (format === "bold") toggleEmphasis(area, "**", placeholder);
      else if (format === "italic") toggleEmphasis(area, "*", placeholder);
      else if (format === "link") link(area, placeholder);
      else if (format) toggleLines(area, format);
    }

    function describeShortcut(button, key) {
      shortcuts[key] = button;
      var label = button.textContent.trim();
      button.title = label + " (" + (isMac ? "⌘" : "Ctrl+") + key.toUpperCase() + ")";
    }

    function buttons() {
      return Array.prototype.slice.call(toolbar.querySelectorAll("button"));
    }

    buttons().forEach(function (button) {
      if (button.dataset.shortcut) describeShortcut(button, button.dataset.shortcut);
    });
    toolbar.addEventListener("click", function (event) {
      var button = event.target.closest("button[data-format]");
      if (button) run(button);
    });

    // One tab stop for the toolbar; the arrow keys move along it (ARIA's toolbar pattern).
    function rove(target) {
      buttons().forEach(function (button) { button.tabIndex = button === target ? 0 : -1; });
      target.focus();
    }
    buttons().forEach(function (button, i) { button.tabIndex = i === 0 ? 0 : -1; });
    toolbar.addEventListener("keydown", function (event) {
      var all = buttons();
      var i = all.indexOf(document.activeElement);
      if (i === -1) return;
      var next = { ArrowRight: i + 1, ArrowLeft: i - 1, Home: 0, End: all.length - 1 }[event.key];
      if (next === undefined) return;
      event.preventDefault();
      rove(all[(next + all.length) % all.length]);
    });

    area.addEventListener("keydown", function (event) {
      if (!(event.ctrlKey || event.metaKey) || event.altKey || event.shiftKey) return;
      var button = shortcuts[event.key.toLowerCase()];
      if (!button) return;
      event.preventDefault();
      button.click();
    });

    return {
      addButton: function (label, action, options) {
        options = options || {};
        var button = document.createElement("button");
        button.type = "button";
        button.textContent = label;
        var group = toolbar.querySelector('[data-toolbar-group="' + (options.group || "media") + '"]');
        (group || toolbar).appendChild(button);
        button.tabIndex = -1;
        button.addEventListener("click", function () { action(area.bodyEditor); });
        if (options.shortcut) {
          button.setAttribute("aria-keyshortcuts", "Control+" + options.shortcut.toUpperCase());
          describeShortcut(button, options.shortcut);
        }
        return button;
      },
    };
  }

  // --- The preview ------------------------------------------------------------------------

  function setUpPreview(area, section, toggle, panes) {
    var form = area.form;
    var url = section.dataset.previewUrl;
    var status = section.querySelector(".body-preview-status");
    var host = section.querySelector("[data-preview-page]");
    var root = host.attachShadow({ mode: "open" });
    section.dataset.stylesheets.split(" ").forEach(function (href) {
      var sheet = document.createElement("link");
      sheet.rel = "stylesheet";
      sheet.href = href;
      root.appendChild(sheet);
    });
    var page = document.createElement("div");
    root.appendChild(page);
    var timer = null;
    var inFlight = null;
    var STORED = "newsroom.bodyPreview";

    function say(text) {
      if (status.textContent !== text) status.textContent = text;
      status.classList.toggle("is-error", text !== status.dataset.ready);
    }

    function shown() {
      return !section.hidden;
    }

    function update() {
      clearTimeout(timer);
      if (!shown()) return;
      var size = length(area.value.trim());
      var limit = Number(area.dataset.previewMaxChars);
      if (size > limit) {
        say(fill(status.dataset.tooLong, { count: numbers.format(size), limit: numbers.format(limit) }));
        return;
      }
      if (inFlight) inFlight.abort();
      var controller = new AbortController();
      inFlight = controller;
      var data = new FormData();
      data.append("csrfmiddlewaretoken", form.elements.csrfmiddlewaretoken.value);
      FIELDS_PREVIEWED.forEach(function (name) {
        var field = form.elements[name];
        if (field) data.append(name, field.value);
      });
      host.setAttribute("aria-busy", "true");
      fetch(url, {
        method: "POST",
        body: data,
        credentials: "same-origin",
        redirect: "manual", // signed out: the admin answers with its sign-in page
        signal: controller.signal,
      })
        .then(function (response) {
          if (response.type === "opaqueredirect") {
            say(status.dataset.signedOut);
            return;
          }
          return response.text().then(function (html) {
            var answer = new DOMParser().parseFromString(html, "text/html");
            if (!response.ok) {
              var refusal = answer.querySelector("[data-preview-error]");
              var reason = refusal ? refusal.textContent.trim() : response.status + " " + response.statusText;
              say(refusal ? reason : fill(status.dataset.failed, { reason: reason }));
              return;
            }
            var scrolled = host.scrollTop;
            page.replaceChildren.apply(page, Array.prototype.slice.call(answer.body.childNodes));
            host.scrollTop = scrolled;
            say(status.dataset.ready);
          });
        })
        .catch(function (error) {
          if (error.name !== "AbortError") say(status.dataset.offline);
        })
        .finally(function () {
          if (inFlight === controller) {
            inFlight = null;
            host.removeAttribute("aria-busy");
          }
        });
    }

    function schedule() {
      clearTimeout(timer);
      timer = setTimeout(update, PREVIEW_DELAY_MS);
    }

    function show(visible) {
      section.hidden = !visible;
      toggle.setAttribute("aria-expanded", String(visible));
      panes.classList.toggle("is-previewing", visible);
      try {
        localStorage.setItem(STORED, visible ? "shown" : "hidden");
      } catch (error) {
        // Storage refused (private mode): the choice lasts for this page only.
      }
      if (visible) update();
    }

    FIELDS_PREVIEWED.forEach(function (name) {
      var field = form.elements[name];
      if (field) field.addEventListener("input", schedule);
    });
    toggle.addEventListener("click", function () { show(section.hidden); });
    var stored = null;
    try {
      stored = localStorage.getItem(STORED);
    } catch (error) {
      stored = null;
    }
    show(stored !== "hidden");
    return update;
  }

  // --- Counters ---------------------------------------------------------------------------

  function describe(field, note) {
    note.id = field.id + "_count";
    var described = field.getAttribute("aria-describedby");
    field.setAttribute("aria-describedby", (described ? described + " " : "") + note.id);
  }

  function countCharacters(field, note, announce) {
    var limit = Number(field.dataset.shownChars);
    var wasOver = null;
    function update() {
      var count = length(field.value.trim());
      var over = count > limit;
      var values = { count: numbers.format(count), limit: numbers.format(limit) };
      note.textContent = fill(over ? note.dataset.over : note.dataset.under, values);
      note.classList.toggle("is-over", over);
      if (wasOver !== null && over !== wasOver) {
        announce(over ? note.dataset.announceOver : note.dataset.announceUnder);
      }
      wasOver = over;
    }
    field.addEventListener("input", update);
    update();
  }

  function countWordsOf(area, note) {
    var perMinute = Number(area.dataset.wordsPerMinute);
    var plural = new Intl.PluralRules(document.documentElement.lang || undefined);
    function update() {
      var words = countWords(area.value);
      var text = fill(plural.select(words) === "one" ? note.dataset.wordOne : note.dataset.wordOther, {
        count: numbers.format(words),
      });
      if (words) {
        var minutes = Math.max(1, Math.round(words / perMinute));
        text += " · " + fill(minutes === 1 ? note.dataset.minuteOne : note.dataset.minuteOther, {
          minutes: numbers.format(minutes),
        });
      }
      note.textContent = text;
    }
    area.addEventListener("input", update);
    update();
  }

  // --- Putting it together ----------------------------------------------------------------

  ready(function () {
    var parts = document.getElementById("article-writing");
    var area = document.querySelector("textarea[data-body-editor]");
    if (!parts || !area) return;
    var chrome = parts.content.cloneNode(true);
    var editor = chrome.querySelector(".body-editor");
    var announcer = chrome.querySelector("[data-announcer]");
    var timerAnnounce = null;
    function announce(text) {
      // Emptied first, so the same words said twice are heard twice.
      announcer.textContent = "";
      clearTimeout(timerAnnounce);
      timerAnnounce = setTimeout(function () { announcer.textContent = text; }, 100);
    }
    document.body.appendChild(announcer);

    ["headline", "standfirst"].forEach(function (name) {
      var field = area.form.elements[name];
      var note = chrome.querySelector('[data-count-for="' + name + '"]');
      if (!field || !field.dataset.shownChars) return;
      describe(field, note);
      // Under the field, where its help text goes.
      (field.closest(".flex-container") || field).insertAdjacentElement("afterend", note);
      countCharacters(field, note, announce);
    });

    // The body's row: the editor takes the field's place, the textarea in its first pane.
    area.closest(".form-row").classList.add("has-body-editor");
    area.insertAdjacentElement("beforebegin", editor);
    var panes = editor.querySelector("[data-panes]");
    panes.insertBefore(area, panes.firstChild);
    var words = editor.querySelector('[data-count-for="body"]');
    describe(area, words);
    countWordsOf(area, words);

    var toolbar = setUpToolbar(area, editor.querySelector("[role=toolbar]"));
    var refresh = setUpPreview(
      area, editor.querySelector(".body-preview"), editor.querySelector(".body-preview-toggle"), panes
    );

    var api = {
      toolbar: editor.querySelector("[role=toolbar]"),
      addButton: toolbar.addButton,
      insert: function (text) {
        var start = area.selectionStart;
        replaceRange(area, start, area.selectionEnd, text, start + text.length, start + text.length);
      },
      wrap: function (before, after, placeholder) {
        var sel = trimmedSelection(area);
        var words = sel.text || placeholder || "";
        replaceRange(
          area, sel.start, sel.end, before + words + after,
          sel.start + before.length, sel.start + before.length + words.length
        );
      },
      refreshPreview: refresh,
    };
    area.bodyEditor = api;
    area.dispatchEvent(new CustomEvent("body-editor:ready", { bubbles: true, detail: api }));
  });
})();
