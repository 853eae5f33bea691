"""Every threshold and rule name of the merge stage, in one place.

Thresholds (all on normalised text: Markdown markup dropped, lowercased, words only):
  * NOTE_CONTAINMENT = 0.9   a note is a duplicate of a larger one when >= 90 % of its words sit in
                             blocks the larger note has too (equal text: "exact");
  * SECTION_CONTAINMENT = 0.8 a section (>= 2 blocks) is merged into another when >= 80 % of its
                             blocks were merged into that section's blocks;
  * NEAR_DUPLICATE = 0.9     two blocks (or sentences) are near-duplicates when their rapidfuzz
                             Indel similarity is >= 0.9 and every fact guard agrees;
  * SHORT_WORDS = 4           blocks shorter than this (list items like "EC2") mean something only in
                             their list: they merge only on equal text within the same destination;
  * PARAPHRASE = 0.65         two statements of different notes on one page say the same thing when the
                             IDF-weighted Jaccard similarity of their concepts (stems and synonyms,
                             handbook.merge.meaning) is >= 0.65, they share >= PARAPHRASE_MIN_SHARED concepts,
                             each has >= PARAPHRASE_MIN_WORDS words and every fact guard agrees;
  * LABEL_WORDS = 8           a paragraph or list item of at most this many words that ends with ':' is a
                             label ("Use cases:"); the blocks under a label that recurs keep their place.
"""

from __future__ import annotations

from dataclasses import dataclass

# ---- deduplication ---------------------------------------------------------------------------------
NOTE_CONTAINMENT = 0.9
SECTION_CONTAINMENT = 0.8
NEAR_DUPLICATE = 0.9
SHORT_WORDS = 4
LABEL_WORDS = 8
MIN_SENTENCE_WORDS = 3  # shorter sentences ("See below.") say too little to hold a block in another
POSTING_CAP = 16  # container candidates read per shared key; keeps very common keys cheap
CANDIDATES = 8  # containers verified per note or section at most, those sharing the most keys first
DISTINCTIVE_SAMPLE = 8  # blocks of a note looked up to find the notes that may contain it
PARAPHRASE = 0.65
PARAPHRASE_MIN_SHARED = 3  # fewer shared concepts say too little to tell two statements are one
PARAPHRASE_MIN_WORDS = 6  # shorter items ("Run manually / based on triggers") mean something only in their list
LIST_SHARE = 0.5  # lists enumerate the same things when this share of the smaller one's items is in the other
PARAPHRASE_CANDIDATES = 8  # leaders judged per statement at most, those sharing the most rare concepts first
TEXT_KINDS = frozenset({"paragraph", "list_item", "quote"})  # blocks compared by their words


@dataclass(frozen=True)
class MergeRule:
    """A written rule that allows a merge; `id` is what the audit shows."""

    id: str
    level: str
    description: str


NOTE_EXACT_RULE = "note-exact"
NOTE_CONTAINED_RULE = f"note-contained>={NOTE_CONTAINMENT}"
SECTION_CONTAINED_RULE = f"section-contained>={SECTION_CONTAINMENT}"
EXACT_HASH_RULE = "exact-hash"
NEAR_DUPLICATE_RULE = f"near-duplicate>={NEAR_DUPLICATE}"
SENTENCES_CONTAINED_RULE = "sentences-contained"
PARAPHRASE_RULE = "paraphrase"
LIST_ITEM_RULE = "list-item"
MEANING_RULES = frozenset({PARAPHRASE_RULE, LIST_ITEM_RULE})  # merges by meaning: shown as 'Also written as'
NOTE_RULES = frozenset({NOTE_EXACT_RULE, NOTE_CONTAINED_RULE})

# In the order of the audit; a block cluster joined by several rules is shown under the last of them.
MERGE_RULES: tuple[MergeRule, ...] = (
    MergeRule(NOTE_EXACT_RULE, "note", "two notes with the same normalised text under the same headings, whatever "
              "their titles: the later path is the duplicate"),
    MergeRule(NOTE_CONTAINED_RULE, "note",
              f"at least {NOTE_CONTAINMENT:.0%} of a note's words sit in blocks of a larger note"),
    MergeRule(SECTION_CONTAINED_RULE, "section",
              f"at least {SECTION_CONTAINMENT:.0%} of a section's blocks merged into one other section"),
    MergeRule(EXACT_HASH_RULE, "block", "equal normalised text (markup, case and spacing ignored)"),
    MergeRule(NEAR_DUPLICATE_RULE, "block",
              f"similarity >= {NEAR_DUPLICATE} and every fact guard agrees (actor, negation, direction, category, "
              "service, numbers and versions, units, storage classes, links, footnotes, subject)"),
    MergeRule(SENTENCES_CONTAINED_RULE, "block",
              "every sentence near-duplicates a sentence of one larger block (same facts)"),
    MergeRule(PARAPHRASE_RULE, "block",
              f"two self-contained statements of different notes on one page say the same thing in other words: "
              f"concept similarity (word stems, synonyms, IDF weights) >= {PARAPHRASE}, at least "
              f"{PARAPHRASE_MIN_SHARED} shared concepts, and every fact guard agrees; the others are shown "
              "folded under the kept one as 'Also written as'"),
    MergeRule(LIST_ITEM_RULE, "block",
              f"lists of different notes in one topic section with the same owner (what their lead-in or heading "
              f"names: AWS or the customer, a service or category) where at least {LIST_SHARE:.0%} of the smaller "
              "list's items are said by the other: each such item merges into the item whose concepts include all "
              "of its own, when every fact guard agrees"),
)
CANONICAL_RULE = (
    "more words first (most complete); then fewer words that no other version or note uses (likely misspellings); "
    "then the note listed first (2 before 13); then earlier line"
)
# Paraphrases are kept by CANONICAL_RULE too: the statement with the most words says the most (the fullest),
# and among equals the one with fewest words that no other version or note uses reads clearest.
PARAPHRASE_CANONICAL_RULE = CANONICAL_RULE

# ---- fact guards (handbook.merge.guards): the ids the audit shows -------------------------------------
ACTOR_GUARD = "actor"
NEGATION_GUARD = "negation"
DIRECTION_GUARD = "direction"
CATEGORY_GUARD = "category"
NUMBER_GUARD = "number"
UNIT_GUARD = "unit"
STORAGE_CLASS_GUARD = "storage-class"
SERVICE_GUARD = "service"
LINK_GUARD = "link"
FOOTNOTE_GUARD = "footnote"
SUBJECT_GUARD = "subject"
WORDING_GUARD = "wording"
IDENTIFIER_GUARD = "identifier"

# ---- near-duplicate candidates (handbook.merge.lsh) ------------------------------------------------
NUM_PERM = 64
BANDS = 16
BUCKET_CAP = 8  # leaders kept per LSH bucket: a bucket full of distinct leaders adds no recall, only cost
MAX_CANDIDATES = 8  # leaders verified per text at most, those sharing the most bands first

# ---- assignment (handbook.merge.assign) -------------------------------------------------------------
FUZZY_THRESHOLD = 88.0
KEYWORD_MIN = 3
HEADING_WEIGHT = 2
PREFIX_ACRONYM_LETTERS = 4  # an alias this short is an acronym (iam, kms, saas)

ALIAS_RULE = "alias"
FUZZY_RULE = "fuzzy"
ALIAS_PREFIX_RULE = "alias-prefix"
INHERIT_RULE = "inherit"
KEYWORD_RULE = "keyword"
UNASSIGNED_RULE = "unassigned"
OFF_TOPIC_RULE = "off-topic-note"
# Rules that match a heading to a topic, as opposed to inheriting or scoring keywords.
HEADING_RULES = (ALIAS_RULE, FUZZY_RULE, ALIAS_PREFIX_RULE)
