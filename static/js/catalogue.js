// Progressive enhancement of the catalogue filter form: without this file the form submits
// as a plain GET. With it, changes fetch the same URL, swap the results and the filters, update
// the address (pushState) and announce the new count; the back button restores earlier states.
(function () {
  "use strict";
  var form = document.querySelector("[data-catalogue-form]");
  if (!form || !window.fetch || !window.history.pushState || !window.DOMParser) {
    return;
  }
  var announce = document.getElementById("catalogue-announce");
  var pending = null;
  // Beside the results on wide screens the filters are open; on phones they wait behind their summary.
  var disclosure = form.querySelector("[data-filter-disclosure]");
  var wide = window.matchMedia ? window.matchMedia("(min-width: 60em)") : null;
  function openOnWideScreens() {
    if (disclosure && wide && wide.matches) {
      disclosure.open = true;
    }
  }
  openOnWideScreens();
  if (wide && wide.addEventListener) {
    wide.addEventListener("change", openOnWideScreens);
  }

  function urlFor(formElement) {
    var params = new URLSearchParams(new FormData(formElement));
    var cleaned = new URLSearchParams();
    params.forEach(function (value, key) {
      if (value !== "" && !(key === "sort" && value === "code")) {
        cleaned.append(key, value);
      }
    });
    var query = cleaned.toString();
    return formElement.getAttribute("action") + (query ? "?" + query : "");
  }

  function openFacets() {
    return Array.prototype.map.call(document.querySelectorAll("details.facet[open]"), function (facet) {
      return facet.getAttribute("data-facet");
    });
  }

  function swap(html) {
    var doc = new DOMParser().parseFromString(html, "text/html");
    // A facet the visitor opened stays open, even when its last option was just unticked.
    var opened = openFacets();
    ["catalogue-results", "catalogue-facets", "catalogue-filter-summary"].forEach(function (id) {
      var fresh = doc.getElementById(id);
      var current = document.getElementById(id);
      if (fresh && current) {
        current.replaceWith(fresh);
      }
    });
    opened.forEach(function (name) {
      var facet = document.querySelector('details.facet[data-facet="' + name + '"]');
      if (facet) {
        facet.open = true;
      }
    });
    var title = doc.querySelector("title");
    if (title) {
      document.title = title.textContent;
    }
    var count = document.querySelector("[data-catalogue-count]");
    if (announce && count) {
      announce.textContent = count.textContent;
    }
  }

  function load(url, push) {
    if (pending) {
      pending.abort();
    }
    pending = new AbortController();
    var active = document.activeElement;
    var focused = active && active.id;
    var facetOfFocus = active && active.closest && active.closest("details.facet");
    var facetName = facetOfFocus && facetOfFocus.getAttribute("data-facet");
    document.getElementById("catalogue-results").setAttribute("aria-busy", "true");
    return fetch(url, { signal: pending.signal, headers: { Accept: "text/html" } })
      .then(function (response) {
        return response.text();
      })
      .then(function (html) {
        swap(html);
        if (push) {
          window.history.pushState({ catalogue: true }, "", url);
        }
        restoreFocus(focused, facetName);
      })
      .catch(function (error) {
        if (error.name !== "AbortError") {
          window.location.href = url;
        }
      });
  }

  // Option ids name the option (facet and key), so the same control gets the focus back; if it
  // is gone, its facet's summary does, and never the top of the page.
  function restoreFocus(id, facetName) {
    if (!id) {
      return;
    }
    var again = document.getElementById(id);
    if (again && again.getClientRects().length) {
      again.focus();
      return;
    }
    var summary = facetName && document.querySelector('details.facet[data-facet="' + facetName + '"] > summary');
    if (summary) {
      summary.focus();
      return;
    }
    var heading = document.querySelector("[data-catalogue-count]");
    if (heading && !again) {
      heading.setAttribute("tabindex", "-1");
      heading.focus();
    }
  }

  form.addEventListener("change", function (event) {
    if (event.target.name === "q") {
      return;
    }
    load(urlFor(form), true);
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    load(urlFor(form), true);
  });
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest(".chip, .pagination a");
    if (!link || event.ctrlKey || event.metaKey || event.shiftKey) {
      return;
    }
    event.preventDefault();
    load(link.href, true).then(function () {
      var heading = document.querySelector("[data-catalogue-count]");
      if (heading) {
        heading.setAttribute("tabindex", "-1");
        heading.focus();
      }
    });
  });
  window.addEventListener("popstate", function () {
    load(window.location.href, false).then(function () {
      var fresh = new URLSearchParams(window.location.search);
      var search = form.querySelector("[name=q]");
      if (search) {
        search.value = fresh.get("q") || "";
      }
      var sort = form.querySelector("[name=sort]");
      if (sort) {
        sort.value = fresh.get("sort") || "code";
      }
    });
  });
})();
