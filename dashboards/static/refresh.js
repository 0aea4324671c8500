// Keeps live parts of a page current without a reload: every element with data-refresh-url is re-fetched
// every 10 seconds, unless the user is working inside it (a focused field keeps what they typed). The
// fragments come server-rendered and escaped, like the page itself.
(function () {
  "use strict";
  var bodies = document.querySelectorAll("[data-refresh-url]");
  function refresh(body) {
    if (body.contains(document.activeElement)) { return; }
    fetch(body.getAttribute("data-refresh-url"), { credentials: "same-origin", headers: { "Accept": "text/html" } })
      .then(function (response) { return response.ok ? response.text() : null; })
      .then(function (html) { if (html !== null) { body.innerHTML = html; } })
      .catch(function () { /* offline for a moment: try again at the next tick */ });
  }
  if (bodies.length) {
    window.setInterval(function () { bodies.forEach(refresh); }, 10000);
  }
})();
