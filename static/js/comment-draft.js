/* The comment being written, kept in this tab (sessionStorage) until it is posted. When a
   post gets no answer at all (the network, a proxy, a timeout) the reader who comes back
   finds their words in the box. Refusals and failures of ours already show the text again;
   the draft stays until a post has gone through. Only the comment is kept, never the name or
   email, and only in this tab: sessionStorage ends with it. */
(() => {
  "use strict";

  const form = document.getElementById("commentform");
  const text = form && form.querySelector("textarea[name=comment]");
  if (!text) return; // comments are closed

  let storage = null;
  try {
    storage = window.sessionStorage;
    storage.getItem("");
  } catch {
    return; // storage is off in this browser: no draft
  }
  // One draft per article: the address the form posts to.
  const key = `newsroom.draft:${new URL(form.action, window.location.href).pathname}`;
  const read = () => {
    try {
      return JSON.parse(storage.getItem(key));
    } catch {
      return null;
    }
  };
  const write = (draft) => {
    try {
      storage.setItem(key, JSON.stringify(draft));
    } catch {
      // storage full: the draft is a courtesy, the post goes on
    }
  };

  const draft = read();
  if (draft && typeof draft.text === "string") {
    // A post went through when the page it led to shows the comment the address names
    // (#comment-N); a refusal or failure shows the form again, with its reason.
    const anchor = /^#comment-\d+$/.test(window.location.hash)
      ? document.getElementById(window.location.hash.slice(1))
      : null;
    const refused = document.getElementById("error-summary") || document.querySelector(".post-failed");
    if (draft.sent && anchor && !refused) {
      storage.removeItem(key);
    } else if (!text.value.trim()) {
      text.value = draft.text;
    }
  }

  text.addEventListener("input", () => {
    if (text.value.trim()) write({ text: text.value, sent: false });
    else storage.removeItem(key);
  });
  form.addEventListener("submit", () => {
    if (text.value.trim()) write({ text: text.value, sent: true });
  });
})();
