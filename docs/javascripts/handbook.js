// Accessible names the theme leaves out: the search dialog and the read-only
// checkboxes of task lists (named after their item's text). Runs again after
// every instant-navigation page change.
(function () {
  function label() {
    var search = document.querySelector(".md-search");
    if (search && !search.getAttribute("aria-label")) {
      search.setAttribute("aria-label", "Search the handbook");
    }
    document.querySelectorAll(".task-list-item input[type=checkbox]").forEach(function (box) {
      if (!box.getAttribute("aria-label")) {
        var item = box.closest(".task-list-item");
        var text = item ? item.textContent.replace(/\s+/g, " ").trim() : "";
        box.setAttribute("aria-label", text || "Task");
      }
    });
  }
  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(label);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", label);
  } else {
    label();
  }
})();
