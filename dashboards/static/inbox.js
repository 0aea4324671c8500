// Refreshes the inbox rows every 10 seconds without a reload. The rows are server-rendered and escaped.
(function () {
  "use strict";
  var table = document.querySelector("table.inbox");
  if (!table) { return; }
  var url = table.getAttribute("data-rows-url");
  var body = document.getElementById("inbox-rows");
  function refresh() {
    fetch(url, { credentials: "same-origin", headers: { "Accept": "text/html" } })
      .then(function (response) { return response.ok ? response.text() : null; })
      .then(function (html) { if (html !== null) { body.innerHTML = html; } })
      .catch(function () { /* offline for a moment: try again at the next tick */ });
  }
  window.setInterval(refresh, 10000);
})();
