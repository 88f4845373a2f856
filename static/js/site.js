/* Progressive enhancement only: every page works without this file. */
(function () {
  "use strict";
  // Moving focus to an in-page target keeps screen readers and keyboards in step with skip links.
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest('a[href^="#"]');
    if (!link) return;
    var target = document.getElementById(link.getAttribute("href").slice(1));
    if (target && !target.hasAttribute("tabindex") && !/^(A|INPUT|BUTTON|SELECT|TEXTAREA)$/.test(target.tagName)) {
      target.setAttribute("tabindex", "-1");
    }
    if (target) { window.requestAnimationFrame(function () { target.focus(); }); }
  });
})();
