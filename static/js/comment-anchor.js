/* An old link to a comment (WordPress's /2023/02/04/slug/#comment-557, sent on here with its
   #comment-557 kept) finds its comment when it is on the first page of comments. When it is
   on another page, nothing on this one has that id: the comment's own address says which
   page holds it, and the reader is taken there. A comment that is gone, or that this reader
   may not see, leaves them here, on the article, rather than on a "not found" page.
   A static file, not inline code, so the Content-Security-Policy can forbid inline scripts. */
(() => {
  "use strict";

  const match = /^#comment-(\d+)$/.exec(window.location.hash);
  if (!match || document.getElementById(`comment-${match[1]}`)) return;
  // The comment's address, written by the server for comment 0 (comments:permalink).
  const permalink = document.currentScript && document.currentScript.dataset.commentPermalink;
  if (!permalink) return;

  fetch(permalink.replace(/\/0\/$/, `/${match[1]}/`), { credentials: "same-origin" })
    .then((response) => {
      if (!response.ok || !response.redirected) return;
      const found = new URL(response.url);
      const here = window.location;
      if (found.pathname === here.pathname && found.search === here.search) return;
      found.hash = here.hash;
      here.replace(found.href);
    })
    .catch(() => {}); // offline, or the server failed: the reader stays on the article
})();
