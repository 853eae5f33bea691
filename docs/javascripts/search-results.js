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
// Words that stand next to each other in the query are often one phrase ("launch configuration", "NAT
// gateway"), and a section that has them close together is more likely about it than one that holds
// them far apart. Each pair of neighbouring query words found in an entry at most one word apart, in
// that order, adds to its score: the score is multiplied by 1 plus the share of the query's pairs it
// holds so. Positions are read from the theme's highlighting: each <mark> is a query word, and the
// stretch between two marks is split into words only when it is short. The title and the text are
// read apart, so a pair never spans the two.
//
// The theme shows, for each page, the sections that score as much as the page's best entry and folds the rest
// under "more on this page", so a page whose answer came a close second showed only the section before it. A
// page's second section is shown too when it scores at least SHOWN_SHARE of its best section: it is given the
// best one's score, which only the theme's cut-off reads, as the groups are already in order. Each entry keeps
// the score worked out here as `scored`.
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
  // A pair counts when its second word is at most PAIR_REACH words after its first.
  var PAIR_REACH = 2, PAIR_WEIGHT = 1, LONG_STRETCH = 200;
  var MARKED = /<mark>([^<]*)<\/mark>/g, TAG = /<[^>]*>/g;
  // The site's word separator (mkdocs.yml, search), for the short stretches between two marks.
  var SEPARATOR = /[\s\-,:;!?=\[\]()"'\/*|<>{}`\u201c\u201d\u2018\u2019\u2026]+|\.(?!\d)|&[lg]t;/;
  var APART = null; // a stretch no pair reaches across
  function markedWords(html, words) {
    var end = 0, mark;
    MARKED.lastIndex = 0;
    while ((mark = MARKED.exec(html))) {
      stretchWords(html.slice(end, mark.index), words);
      words.push(mark[1].toLowerCase());
      end = MARKED.lastIndex;
    }
    words.push(APART);
    return words;
  }
  function stretchWords(stretch, words) {
    if (stretch.length > LONG_STRETCH) { words.push(APART); return; }
    stretch.replace(TAG, " ").split(SEPARATOR).forEach(function (word) { if (word) words.push(""); });
  }
  function startsWith(word, prefix) { return !!word && word.lastIndexOf(prefix, 0) === 0; }
  function near(words, first, second) {
    for (var i = 0; i < words.length; i++) {
      if (!startsWith(words[i], first)) continue;
      for (var j = i + 1; j <= i + PAIR_REACH && j < words.length && words[j] !== APART; j++) {
        if (startsWith(words[j], second)) return true;
      }
    }
    return false;
  }
  function pairShare(entry) {
    var query = Object.keys(entry.terms || {});  // the theme keeps the query's order
    if (query.length < 2) return 0;
    var words = null, held = 0;
    for (var i = 0; i + 1 < query.length; i++) {
      var first = query[i], second = query[i + 1];
      if (!entry.terms[first] || !entry.terms[second]) continue;
      words = words || markedWords(entry.text || "", markedWords(entry.title || "", []));
      if (near(words, first.toLowerCase(), second.toLowerCase())) held++;
    }
    return held / (query.length - 1);
  }
  function byScore(a, b) { return b.score - a.score; }
  var SECTIONS_SHOWN = 2, SHOWN_SHARE = 0.6;
  function showClosest(group) {
    if (isPage(group[0])) return group; // the page itself is its best entry: the theme shows it alone
    var best = group[0].score, shown = 1;
    for (var i = 1; i < group.length && shown < SECTIONS_SHOWN; i++) {
      if (isPage(group[i])) continue;
      if (group[i].score < SHOWN_SHARE * best) break;
      group[i].score = best;
      shown++;
    }
    return group;
  }
  function reranked(items) {
    var groups = items.map(function (group) {
      var page = group.filter(isPage)[0];
      return showClosest(group.map(function (entry) {
        var held = share(entry, entry === page ? null : page);
        var scored = entry.score * held * held * lengthPrior(entry) * (1 + PAIR_WEIGHT * pairShare(entry));
        return Object.assign({}, entry, { score: scored, scored: scored });
      }).sort(byScore));
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
