/* Reply in place, as WordPress's comment-reply.js does. Without JavaScript each Reply link
   loads the page with ?replytocom= and the server sets the form up; this only saves the trip.
   A static file, not inline code, so the Content-Security-Policy can forbid inline scripts. */
(() => {
  "use strict";

  // A refused comment: the error summary takes the focus. The form posts to #error-summary,
  // which focuses it without JavaScript too; Chromium may clear the focus once it has
  // scrolled there, so focus it again on load unless the reader has moved on.
  const summary = document.getElementById("error-summary");
  if (summary) {
    summary.focus();
    window.addEventListener("load", () => {
      const active = document.activeElement;
      if (!active || active === document.body) summary.focus();
    });
  }

  const respond = document.getElementById("respond");
  const form = respond && respond.querySelector("form");
  if (!form) return; // comments are closed

  const parent = form.querySelector("input[name=parent]");
  const text = document.getElementById("id_comment");
  const title = respond.querySelector(".reply-title-text");
  const cancel = document.getElementById("cancel-comment-reply-link");
  let home = null; // where the form belongs, left behind when it moves
  let opener = null; // the Reply link that moved it; null while it is at home

  const setTitle = (id, name) => {
    if (!title) return;
    if (!id) {
      title.textContent = "Leave a Reply";
      return;
    }
    const link = document.createElement("a");
    const bdi = document.createElement("bdi");
    link.href = `#comment-${id}`;
    bdi.textContent = name; // the reader's name is text, never markup
    link.append(bdi);
    title.replaceChildren("Leave a Reply to ", link);
  };

  document.addEventListener("click", (event) => {
    if (event.defaultPrevented || event.button !== 0) return;
    if (event.ctrlKey || event.metaKey || event.shiftKey || event.altKey) return; // new tab
    const link = event.target.closest("a.comment-reply-link");
    const below = link && document.getElementById(link.dataset.below || "");
    if (!below || !link.dataset.commentId || !parent) return; // let the link load the page
    event.preventDefault();
    if (!home) {
      home = document.createElement("div");
      home.id = "respond-home";
      home.hidden = true;
      respond.before(home);
    }
    below.after(respond);
    parent.value = link.dataset.commentId;
    setTitle(link.dataset.commentId, link.dataset.replyTo || "");
    if (cancel) cancel.hidden = false;
    opener = link;
    if (text) text.focus();
  });

  if (cancel) {
    cancel.addEventListener("click", (event) => {
      if (!opener) return; // the server set up this reply: its link reloads the page without it
      event.preventDefault();
      home.after(respond);
      if (parent) parent.value = "";
      setTitle(null);
      cancel.hidden = true;
      opener.focus();
      opener = null;
    });
  }

  // Ctrl+Enter (Cmd+Enter on a Mac) in the comment box posts the form.
  if (text) {
    text.addEventListener("keydown", (event) => {
      if (event.key !== "Enter" || !(event.ctrlKey || event.metaKey)) return;
      event.preventDefault();
      const submit = form.querySelector("[type=submit]");
      if (submit) submit.click();
      else form.requestSubmit();
    });
  }
})();
