// Search results: an entry that holds more of the query's words comes first. The theme ranks
// entries by the words' weights and favours an entry that holds them all by at most twice its score,
// so a long section with a title word or two of the query outranked a short one that holds every
// word. Here each entry's score is multiplied by the square of the share of the query's words it
// holds; entries are put in order again within each page's group, and the groups by their best
// entry, as the theme orders them. Nothing else of the results changes.
//
// A long section holds a query's words by chance more often than a short one, and the theme does not weigh
// an entry's length (lunr's b is 0): a section's score is also multiplied by (1000 / its length in
// characters) to the power of 0.1, a gentle form of the length normalisation of BM25.
//
// A section stands under its page: a query word its page's own entry holds (the page title or its
// lead) counts as held by each of the page's sections, so "Kinesis shards" finds the Shards section
// of the Kinesis page although that section never says "Kinesis" again.
//
// The theme listens to its search worker as soon as its own script runs, so this script is loaded
// before it (templates/theme/main.html), not with the site's other scripts. Where it is not loaded
// (a theme without the override), results keep the theme's order.
(function () {
  var RESULT = 3; // the theme's message type for search results
  var proto = window.Worker && window.Worker.prototype;
  if (!proto || !proto.addEventListener) return;
  var add = proto.addEventListener, remove = proto.removeEventListener;
  function share(entry, page) {
    var words = Object.keys(entry.terms || {});
    if (!words.length) return 1;
    var context = (page && page.terms) || {};
    return words.filter(function (word) { return entry.terms[word] || context[word]; }).length / words.length;
  }
  var LENGTH_REFERENCE = 1000, SHORTEST = 50, LENGTH_POWER = 0.1;
  function isPage(entry) { return entry.location.indexOf("#") === -1; }
  function lengthPrior(entry) {
    if (isPage(entry)) return 1;
    var length = Math.max(SHORTEST, (entry.text || "").length);
    return Math.pow(LENGTH_REFERENCE / length, LENGTH_POWER);
  }
  function byScore(a, b) { return b.score - a.score; }
  function reranked(items) {
    var groups = items.map(function (group) {
      var page = group.filter(isPage)[0];
      return group.map(function (entry) {
        var held = share(entry, entry === page ? null : page);
        return Object.assign({}, entry, { score: entry.score * held * held * lengthPrior(entry) });
      }).sort(byScore);
    });
    return groups.sort(function (a, b) { return byScore(a[0], b[0]); });
  }
  function wrapped(listener) {
    if (!listener.handbookResults) {
      listener.handbookResults = function (event) {
        var data = event && event.data;
        if (data && data.type === RESULT && data.data && Array.isArray(data.data.items)) {
          var results = Object.assign({}, data.data, { items: reranked(data.data.items) });
          event = { data: { type: RESULT, data: results }, target: event.target, type: event.type };
        }
        return typeof listener === "function" ? listener.call(this, event) : listener.handleEvent(event);
      };
    }
    return listener.handbookResults;
  }
  proto.addEventListener = function (type, listener, options) {
    if (type === "message" && listener) arguments[1] = wrapped(listener);
    return add.apply(this, arguments);
  };
  proto.removeEventListener = function (type, listener, options) {
    if (type === "message" && listener && listener.handbookResults) arguments[1] = listener.handbookResults;
    return remove.apply(this, arguments);
  };
})();
