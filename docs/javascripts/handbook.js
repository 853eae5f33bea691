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

// Search: the theme matches every query word as a prefix ("encrypt" finds "encryption") and
// leaves query words out of its word pipeline, so two things are done to a query here, before it
// reaches the search worker:
// - Words of the search's stop list are dropped. The index never holds them, so they could only
//   match longer words by prefix: "in" finds "incident", "who" finds "whole", "is" finds "issue".
//   A word typed in capitals (IT, US) is kept, as is a query made only of stop words.
// - A contraction is read as its words: "don't" and "isn't" hold a stop word and "not", and are
//   dropped; "S3's" and "you're" keep the word before the apostrophe. The search splits words at
//   an apostrophe, and the "t" or "s" after it would find every word that starts with that letter.
//   A lone lowercase letter is dropped for the same reason.
// - Each other word loses its inflection ("patches", "patched" and "patching" become "patch"), so
//   that, matched as a prefix, it finds every form: the index is not stemmed, so that result
//   previews and suggestions show whole words. The plural of an acronym loses its "s" ("AMIs" → "AMI",
//   "EC2s" → "EC2"), as "amis" would find only the plural.
// - A hyphen inside a word splits it, as the search does ("on-prem" is "on" and "prem"), so that
//   its parts go through the same two steps.
// A query with quotes or search operators ("+word", "-word", "word*", "title:word", "word~1",
// "word^2") goes through unchanged.
(function () {
  var STOP = ("a able about across after all almost also am among an and any are as at be because been but by " +
    "can cannot could dear did do does either else ever every for from get got had has have he her hers him his " +
    "how however i if in into is it its just least let like likely may me might most must my neither no nor not " +
    "of off often on only or other our own rather said say says she should since so some than that the their " +
    "them then there these they this tis to too twas us wants was we were what when where which while who whom " +
    "why will with would yet you your").split(" ");
  var QUERY = 2; // the theme's message type for a search query
  var post = window.Worker && window.Worker.prototype.postMessage;
  if (!post) return;
  function isStop(word) {
    return STOP.indexOf(word.toLowerCase()) >= 0 && !(word.length > 1 && word === word.toUpperCase());
  }
  // Inflectional endings, longest first; what is left must keep four letters, and a word written
  // with a digit or in capitals (EC2, SSE-KMS) is a name, not an inflected word.
  // An adverb loses its "-ly" where what is left is a word it starts with ("automatically" →
  // "automatic", "securely" → "secure", "manually" → "manual").
  var ENDINGS = [["ically", "ic"], ["ously", "ous"], ["ently", "ent"], ["fully", "ful"], ["ally", "al"],
                 ["ely", "e"], ["ies", "y"], ["ied", "y"], ["sses", "ss"], ["ches", "ch"], ["shes", "sh"],
                 ["xes", "x"], ["ing", ""], ["ed", ""], ["es", "e"], ["s", ""]];
  function stem(word) {
    if (/^[A-Z]{2,}[0-9]*s$/.test(word)) return word.slice(0, -1);
    if (/[0-9A-Z]/.test(word.slice(1)) || /[^a-zA-Z]/.test(word) || word.length < 5) return word;
    var lower = word.toLowerCase();
    if (/(ss|us|is)$/.test(lower)) return word;
    for (var i = 0; i < ENDINGS.length; i++) {
      var ending = ENDINGS[i][0];
      if (lower.slice(-ending.length) !== ending) continue;
      var root = lower.slice(0, -ending.length);
      if (ending === "ing" || ending === "ed") {
        // "stopped" → "stop", "running" → "run"; "configured" → "configur", which finds
        // "configure" and "configuration" as a prefix.
        if (/([b-df-hj-np-tv-z])\1$/.test(root) && !/(ll|ss|zz|ff)$/.test(root)) root = root.slice(0, -1);
      } else if (ending === "es") {
        // "databases" → "databas", "services" → "service".
        root = /(s|x|z)$/.test(root) ? root : root + "e";
      } else if (ENDINGS[i][1] !== "y") {
        root += ENDINGS[i][1];
      }
      // "policies" → "polic", which finds "policy" and "policies" alike.
      if (root.length >= 4) return root;
    }
    return word;
  }
  function uncontracted(word) {
    var parts = word.split(/['\u2019]/);
    if (parts.length < 2) return word;
    return /n$/i.test(parts[0]) && /^t$/i.test(parts[1]) ? "" : parts[0];
  }
  function rewrite(query) {
    if (/["~^*:]|(^|\s)[+\-]/.test(query)) return query;
    var words = query.split(/[\s\-]+/).map(uncontracted).filter(Boolean);
    var kept = words.filter(function (word) { return !isStop(word) && !/^[a-z]$/.test(word); });
    if (!kept.length) return query;
    return kept.map(stem).join(" ");
  }
  window.Worker.prototype.postMessage = function (message) {
    if (message && message.type === QUERY && typeof message.data === "string") {
      arguments[0] = { type: message.type, data: rewrite(message.data) };
    }
    return post.apply(this, arguments);
  };
})();

// Glossary: the first use of each acronym on a page leads to its entry on the glossary page; the
// acronym keeps its tooltip with the long name. Later uses stay plain text, so that a page full of
// "S3" is not a page full of links. Headings and links are left as they are.
(function () {
  var config = document.getElementById("__config");
  if (!config || !window.URL) return;
  // The theme's base address is relative to the page first loaded; instant navigation keeps this script.
  var base;
  try {
    base = new URL(JSON.parse(config.textContent).base + "/", location.href);
  } catch (error) {
    return;
  }
  var glossary = new URL("handbook/glossary/", base);
  function anchor(term) {
    return "term-" + term.toLowerCase().replace(/\+/g, "plus");
  }
  function link() {
    if (location.pathname === glossary.pathname) return;
    var seen = {};
    document.querySelectorAll(".md-content article abbr").forEach(function (abbr) {
      var term = abbr.textContent;
      if (abbr.closest("a.handbook-glossary-link")) seen[term] = true;
      if (seen[term] || abbr.closest("a, h1, h2, h3, h4, h5, h6, code")) return;
      seen[term] = true;
      var entry = document.createElement("a");
      entry.className = "handbook-glossary-link";
      entry.href = glossary.href + "#" + anchor(term);
      abbr.parentNode.insertBefore(entry, abbr);
      entry.appendChild(abbr);
    });
  }
  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(link);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", link);
  } else {
    link();
  }
})();
