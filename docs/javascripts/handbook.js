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

// Search: the theme matches every query word as a prefix, so a short filler word such as
// "in" also matches "incident" and "infrastructure" and pushes the real answer down
// ("encryption in transit"). Filler words are dropped from a query before it reaches the
// search worker; a query made only of them, or one in quotes, goes through unchanged.
(function () {
  var FILLER = ["a", "an", "and", "are", "as", "at", "be", "by", "do", "for", "in", "is", "it", "my",
                "of", "on", "or", "the", "to"];
  var QUERY = 2; // the theme's message type for a search query
  var post = window.Worker && window.Worker.prototype.postMessage;
  if (!post) return;
  function withoutFiller(query) {
    if (/["+\-~^*:]/.test(query)) return query;
    var words = query.split(/\s+/);
    var kept = words.filter(function (word) { return FILLER.indexOf(word.toLowerCase()) < 0; });
    return kept.join("") ? kept.join(" ") : query;
  }
  window.Worker.prototype.postMessage = function (message) {
    if (message && message.type === QUERY && typeof message.data === "string") {
      arguments[0] = { type: message.type, data: withoutFiller(message.data) };
    }
    return post.apply(this, arguments);
  };
})();
