"""Every repair rule the normaliser can log, declared once: its id and what it does.

The build report and the note pages show each description by its id (see catalogue.py); the rules
log repairs under these records, so a rule that is not declared here cannot be logged.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class RepairRule:
    """One repair rule: the stable kebab-case id a repair is logged under and the sentence that explains it."""

    id: str
    description: str


REGISTRY: dict[str, RepairRule] = {}


def declare(rule_id: str, description: str) -> RepairRule:
    """Register a repair rule under its id (each id once) and return it."""
    if rule_id in REGISTRY:
        raise ValueError(f"repair rule {rule_id!r} is declared twice")
    declared = REGISTRY[rule_id] = RepairRule(rule_id, description)
    return declared


ADMONITION_FORMAT = declare(
    "admonition-format",
    "Writes a `!!!` or `???` admonition's first line in the one form: its type, then its title in quotes.",
)
BARE_URL = declare("bare-url", "Makes a web address written as text (`https://…`) a link, as Obsidian shows it.")
ATTRIBUTE_BRACES = declare(
    "attribute-braces",
    "Escapes braces that end a heading, a table cell or a paragraph's last line (`## Options {SSE-S3, SSE-KMS}`), "
    "a template statement that ends its line (`{% endif %}`), "
    "or braces that follow text right away (`**b**{y}`), which Python-Markdown would otherwise take away as an "
    "element's attributes; an attribute list "
    "(`{ #id .class }`) stays one, except at the end of a heading, which shows its text as written everywhere, "
    "and except where it holds a bare word (`{#5 steps}`), which attr_list would make an attribute the page never "
    "shows.",
)
BACKTICK_LITERAL = declare(
    "backtick-literal",
    "Escapes a run of backticks that opens no code span (no run of its length closes it), which Obsidian shows "
    "as written: the site's "
    "Markdown would pair part of it with a later backtick and show the text between as code.",
)
BLOCK_ESCAPE = declare(
    "block-escape",
    "Escapes a character at the start of a line that would otherwise begin a heading, list, quote, fence, table "
    "or definition once the line is read again.",
)
BYTE_ORDER_MARK = declare(
    "byte-order-mark",
    "Drops the invisible byte-order mark some editors put at the start of a file.",
)
CODE_FENCED = declare("code-fenced", "Writes an indented code block as a fenced one.")
COMMENT_MARKER_ESCAPE = declare(
    "comment-marker-escape",
    "Escapes a `%%` with no partner, which shows as text, so that it never starts a comment.",
)
CONTROL_CHARACTERS = declare("control-characters", "Removes invisible control characters (tabs and line ends stay).")
COPY_PASTE_LEFTOVER = declare(
    "copy-paste-leftover",
    "Removes text copied along with a link from a web page, such as \"(opens in a new tab)\".",
)
DASH = declare("dash", "Writes `--` between words as a spaced en dash.")
DETAILS_CLOSED = declare(
    "details-closed",
    "Closes a `<details>` element that the note leaves open, before the next heading (which it never folds "
    "away), where its list item or quote ends, or at the end of the note.",
)
DETAILS_FOLDED = declare(
    "details-folded",
    "Writes an HTML `<details>` element as a folded admonition (`??? note \"Summary\"`) that keeps its summary "
    "and its whole content, read as Markdown, together where it stands.",
)
DETAILS_EMPTY = declare(
    "details-empty",
    "Drops a `<details>` element with no summary that holds nothing to show, once what it held has moved (a "
    "link definition goes to the end of the note) or was only markup: a fold labelled Details with nothing in it.",
)
DETAILS_STRAY = declare("details-stray", "Drops a `</details>` that closes no `<details>` element.")
EMPHASIS_ESCAPE = declare(
    "emphasis-escape",
    "Escapes a `*` between digits (`24*7*365`), which would otherwise start emphasis.",
)
EMPTY_HEADING = declare("empty-heading", "Drops a heading with no text.")
EMPTY_LIST_ITEM = declare("empty-list-item", "Drops a list item with nothing in it.")
EMPTY_NOTE = declare("empty-note", "Gives an empty note its title, so that it still has a page.")
FENCE_CLOSED = declare("fence-closed", "Closes a code fence that the note left open at its end.")
FENCE_INFO = declare(
    "fence-info",
    "Keeps only the language of a code fence's info string (`shell script` becomes `shell`): the site's fences "
    "read the words after it as options and would show the fence, and the text after it, as one line of text.",
)
FOOTNOTE_DUPLICATE = declare(
    "footnote-duplicate",
    "Shows a second definition of a footnote label as text, one inside a list item or quote (`- [^1]: text`) too: "
    "only one can count, and the page would otherwise drop the first.",
)
FOOTNOTE_EMPTY = declare(
    "footnote-empty",
    "Gives an empty footnote definition a no-break space, so that the page still builds.",
)
FOOTNOTE_NESTED = declare(
    "footnote-nested",
    "Shows a footnote definition written at the start of another's text (`[^1]: [^2]: text`, or after list and "
    "quote markers, `[^1]: - [^2]: text`) as text: the site would read it as a definition inside the first, leave "
    "the first empty and lose the second's text. So is an "
    "abbreviation's definition there (`[^1]: *[term]: text`), which would take the footnote's text away.",
)
FOOTNOTE_UNUSED = declare("footnote-unused", "Shows a footnote definition that nothing in the note cites as text.")
FRONT_MATTER = declare(
    "front-matter",
    "Reads the note's front matter (title, tags, aliases, author) into the note's fields.",
)
HEADING_EMPHASIS = declare(
    "heading-emphasis",
    "Takes the bold or italics off a heading whose whole text is emphasised.",
)
HEADING_FORMAT = declare(
    "heading-format",
    "Writes an underlined (`===`, `---`) or closed (`## Title ##`) heading as `## Title`.",
)
HEADING_LEVEL = declare(
    "heading-level",
    "Moves headings to the levels their order implies: one title, no skipped levels.",
)
HEADING_SPACE = declare("heading-space", "Puts the missing space after the hashes of a heading (`##Title`).")
HEADING_DEPTH = declare(
    "heading-depth",
    "Writes a heading of more than six hashes (`####### Title`) at level six, the deepest Markdown has; Obsidian "
    "would show the hashes as text.",
)
HTML_SANITISED = declare(
    "html-sanitised",
    "Removes raw HTML that is unsafe or would break the page (scripts, event handlers, styles), shows a tag that "
    "only Python-Markdown reads as one (`<svg/onload=…>`) as text, and points a link that would run script "
    "(`javascript:`, however it is spelt or spaced) at its own note.",
)
IMAGE_OWN_LINE = declare(
    "image-own-line",
    "Gives an image that stands on its own line inside a paragraph a block of its own.",
)
LINE_ENDINGS = declare("line-endings", "Turns Windows and old Mac line ends into plain ones (logged once per note).")
LINK_TITLE_LINE_END = declare(
    "link-title-line-end",
    "Moves a line end between a link's title and its `)` (`[text](url` then `\"title\"` then `)`) before the "
    "link's target: the site's Markdown reads no link with a line end there, Obsidian does.",
)
LINK_QUOTES = declare(
    "link-quotes",
    "Writes quotes in a link's address as `%22` and `%27`, as CommonMark does: the site's Markdown would read a "
    "quoted end of the address (`?q=\"term\"`) as the link's title, and link the rest.",
)
LINK_SPACED_TARGET = declare(
    "link-spaced-target",
    "Shows `[text](target with spaces)` as text, as Obsidian does (a target with a space is written in angle "
    "brackets or with `%20`): the site's Markdown would make it a link to a page that does not exist.",
)
LINK_SCHEME = declare(
    "link-scheme",
    "Points a link whose address the site does not open (`file:`, `tel:`, `ftp:`, an `obsidian://` link that "
    "names no note) at its own note, or shows such an autolink as text: pages link only to web pages, e-mail "
    "addresses and the site itself.",
)
LIST_AFTER_PARAGRAPH = declare(
    "list-after-paragraph",
    "Puts a blank line between a paragraph and the list right under it, which would otherwise run into the "
    "paragraph.",
)
LIST_INDENT = declare("list-indent", "Indents a list item by four spaces per level, as Python-Markdown expects.")
LIST_MARKER = declare("list-marker", "Writes bullets as `-` and numbered items with a `.` (`1)` becomes `1.`).")
NESTING_LIMIT = declare("nesting-limit", "Flattens lists and quotes nested more than sixteen levels deep.")
NON_BREAKING_SPACE = declare(
    "non-breaking-space",
    "Turns a no-break or other odd space inside text into a plain space.",
)
OBSIDIAN_BLOCK_ID = declare(
    "obsidian-block-id",
    "Hides an Obsidian block id (`^fact-1`) and remembers its block for links to it.",
)
OBSIDIAN_CALLOUT = declare(
    "obsidian-callout",
    "Writes an Obsidian callout (`> [!note] Title`) as an admonition the site shows the same way.",
)
OBSIDIAN_COMMENT = declare("obsidian-comment", "Removes an Obsidian comment (`%%…%%`), which Obsidian never shows.")
OBSIDIAN_EMBED = declare(
    "obsidian-embed",
    "Writes an embedded file (`![[image.png]]`) as an image or a link to the copied file.",
)
OBSIDIAN_EMBED_MISSING = declare(
    "obsidian-embed-missing",
    "Shows an embed of a file that is not in the notes folder as a marked note instead of a broken image.",
)
OBSIDIAN_IMAGE_SIZE = declare(
    "obsidian-image-size",
    "Writes an Obsidian image size (`![[image.png|300]]`) as the image's width.",
)
OBSIDIAN_LINE_BREAK = declare(
    "obsidian-line-break",
    "Shows a line break inside a paragraph as a break, as Obsidian does.",
)
OBSIDIAN_MATH = declare(
    "obsidian-math",
    "Writes math between dollars (`$E = mc^2$`, `$$…$$`) as MathML, which the browser shows as Obsidian does.",
)
OBSIDIAN_TAGS = declare(
    "obsidian-tags",
    "Takes a line of tags (`#iam #s3`) out of the text and makes them the page's tags.",
)
OBSIDIAN_TRANSCLUSION = declare(
    "obsidian-transclusion",
    "Writes an embedded note (`![[Other note]]`) as a link to where its text is shown.",
)
OBSIDIAN_URI = declare(
    "obsidian-uri",
    "Points a link that opens a note in Obsidian (`obsidian://open?vault=…&file=…`) at the page that shows that "
    "note.",
)
OBSIDIAN_WIKILINK = declare(
    "obsidian-wikilink",
    "Writes a wikilink (`[[Note#Heading|text]]`) as a link to where that note's text is shown.",
)
REFERENCE_DUPLICATE = declare(
    "reference-duplicate",
    "Drops a second definition of a link label inside a list or quote: the first one counts.",
)
REFERENCE_INLINED = declare(
    "reference-inlined",
    "Writes a reference-style link (`[text][label]`) with its target inline, and drops the definition once every "
    "link that used it has it.",
)
REFERENCE_JOINED = declare("reference-joined", "Joins a link definition written over several lines onto one line.")
REFERENCE_MOVED = declare(
    "reference-moved",
    "Moves a link definition out of a list or quote to the end of the note, where it counts.",
)
RELATIVE_LINK = declare(
    "relative-link",
    "Points a link to a note, heading or file in the notes folder at the page that shows it.",
)
SERVICE_NAME = declare(
    "service-name",
    "Writes an AWS service name the way data/names.yml gives it (`cloudTrail` to `CloudTrail`).",
)
SNIPPET_MARKER = declare(
    "snippet-marker",
    "Escapes text that the snippets extension would read as an instruction to include a file.",
)
SPELLING = declare("spelling", "Fixes a misspelling from data/corrections.yml.")
SPELLING_DICTIONARY = declare(
    "spelling-dictionary",
    "Fixes a misspelling from codespell's dictionary of common English ones, on a line of English prose, unless "
    "the word is a dictionary word, the vault's own, joined to another word, in a web address or an AWS name.",
)
STRAY_EMPHASIS = declare(
    "stray-emphasis",
    "Removes an unpaired `**` right against a link, which would show as two stars.",
)
TAB = declare("tab", "Turns a tab inside text into a space.")
TABLE_CELLS = declare(
    "table-cells",
    "Writes a table's header row so that the site shows every cell of every row in the column the note puts it "
    "in: outer pipes when the other rows have them (Python-Markdown reads each row's outer pipes by the "
    "header's, and would shift their cells a column and drop the last), and empty header cells over the cells a "
    "row writes past the header's width (which it would drop).",
)
TITLE = declare(
    "title",
    "Gives the note its title (the front matter's, its one `#` heading, a first heading that opens the note alone "
    "at its level, or else the file name) and puts the title's text first.",
)
TRAILING_WHITESPACE = declare("trailing-whitespace", "Removes spaces and tabs at the ends of lines.")
UNICODE_NFC = declare(
    "unicode-nfc",
    "Writes accented letters in one encoding (NFC), so that the same word is always the same text.",
)
