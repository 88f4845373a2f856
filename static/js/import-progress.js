// Follows a catalogue import running in the background: asks the run's status every second,
// moves the progress bar and its text, and reloads the page (preview or result) when the run
// is done. Without JavaScript, the "Stand aktualisieren" link does the same by hand.
(function () {
  "use strict";
  var section = document.getElementById("import-progress");
  if (!section || !window.fetch) {
    return;
  }
  var bar = document.getElementById("import-progress-bar");
  var text = document.getElementById("import-progress-text");
  var url = section.getAttribute("data-status-url");
  var numbers = new Intl.NumberFormat(document.documentElement.lang || "de");
  var last = "";

  function show(status) {
    bar.value = status.percent;
    bar.textContent = status.percent + " %";
    var message = status.step || "";
    if (status.total) {
      message += ": " + numbers.format(status.done) + " / " + numbers.format(status.total);
    }
    // Announce the step when it changes, not every number: a screen reader would talk without pause.
    if (message.split(":")[0] !== last.split(":")[0] || status.percent % 25 === 0) {
      text.textContent = message;
    }
    last = message;
  }

  function poll() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        return response.ok ? response.json() : null;
      })
      .then(function (status) {
        if (!status) {
          window.setTimeout(poll, 3000);
          return;
        }
        if (!status.running) {
          window.location.reload();
          return;
        }
        show(status);
        window.setTimeout(poll, 1000);
      })
      .catch(function () {
        window.setTimeout(poll, 3000);
      });
  }

  window.setTimeout(poll, 500);
})();
