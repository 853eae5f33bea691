"""What each repair rule does, by the id the build report and the note pages show for it.

A test keeps this list whole: every rule id the normaliser can log must have a line here.
"""

from __future__ import annotations

REPAIR_RULES: dict[str, str] = {
    "admonition-format": "Writes a `!!!` or `???` admonition's first line in the one form: its type, then its title in quotes.",
    "bare-url": "Makes a web address written as text (`https://…`) a link, as Obsidian shows it.",
    "block-escape": "Escapes a character at the start of a line that would otherwise begin a heading, list, "
                    "quote, fence, table or definition once the line is read again.",
    "byte-order-mark": "Drops the invisible byte-order mark some editors put at the start of a file.",
    "code-fenced": "Writes an indented code block as a fenced one.",
    "comment-marker-escape": "Escapes a `%%` with no partner, which shows as text, so that it never starts a comment.",
    "control-characters": "Removes invisible control characters (tabs and line ends stay).",
    "copy-paste-leftover": "Removes text copied along with a link from a web page, such as \"(opens in a new tab)\".",
    "dash": "Writes `--` between words as a spaced en dash.",
    "emphasis-escape": "Escapes a `*` between digits (`24*7*365`), which would otherwise start emphasis.",
    "empty-heading": "Drops a heading with no text.",
    "empty-list-item": "Drops a list item with nothing in it.",
    "empty-note": "Gives an empty note its title, so that it still has a page.",
    "fence-closed": "Closes a code fence that the note left open at its end.",
    "footnote-duplicate": "Shows a second definition of a footnote label as text: only one can count, and the "
                          "page would otherwise drop the first.",
    "footnote-empty": "Gives an empty footnote definition a no-break space, so that the page still builds.",
    "footnote-unused": "Shows a footnote definition that nothing in the note cites as text.",
    "front-matter": "Reads the note's front matter (title, tags, aliases, author) into the note's fields.",
    "heading-emphasis": "Takes the bold or italics off a heading whose whole text is emphasised.",
    "heading-format": "Writes an underlined (`===`, `---`) or closed (`## Title ##`) heading as `## Title`.",
    "heading-level": "Moves headings to the levels their order implies: one title, no skipped levels.",
    "heading-space": "Puts the missing space after the hashes of a heading (`##Title`).",
    "html-sanitised": "Removes raw HTML that is unsafe or would break the page (scripts, event handlers, styles), "
                      "shows a tag that only Python-Markdown reads as one (`<svg/onload=…>`) as text, and points "
                      "a link that would run script (`javascript:`, however it is spelt or spaced) at its own note.",
    "image-own-line": "Gives an image that stands on its own line inside a paragraph a block of its own.",
    "line-endings": "Turns Windows and old Mac line ends into plain ones (logged once per note).",
    "link-scheme": "Points a link whose address the site does not open (`file:`, `tel:`, `ftp:`, an `obsidian://` "
                   "link that names no note) at its own note, or shows such an autolink as text: pages link "
                   "only to web pages, e-mail addresses and the site itself.",
    "list-after-paragraph": "Puts a blank line between a paragraph and the list right under it, which would "
                            "otherwise run into the paragraph.",
    "list-indent": "Indents a list item by four spaces per level, as Python-Markdown expects.",
    "list-marker": "Writes bullets as `-` and numbered items with a `.` (`1)` becomes `1.`).",
    "nesting-limit": "Flattens lists and quotes nested more than sixteen levels deep.",
    "non-breaking-space": "Turns a no-break or other odd space inside text into a plain space.",
    "obsidian-block-id": "Hides an Obsidian block id (`^fact-1`) and remembers its block for links to it.",
    "obsidian-callout": "Writes an Obsidian callout (`> [!note] Title`) as an admonition the site shows the same way.",
    "obsidian-comment": "Removes an Obsidian comment (`%%…%%`), which Obsidian never shows.",
    "obsidian-embed": "Writes an embedded file (`![[image.png]]`) as an image or a link to the copied file.",
    "obsidian-embed-missing": "Shows an embed of a file that is not in the notes folder as a marked note instead "
                              "of a broken image.",
    "obsidian-image-size": "Writes an Obsidian image size (`![[image.png|300]]`) as the image's width.",
    "obsidian-line-break": "Shows a line break inside a paragraph as a break, as Obsidian does.",
    "obsidian-tags": "Takes a line of tags (`#iam #s3`) out of the text and makes them the page's tags.",
    "obsidian-transclusion": "Writes an embedded note (`![[Other note]]`) as a link to where its text is shown.",
    "obsidian-uri": "Points a link that opens a note in Obsidian (`obsidian://open?vault=…&file=…`) at the page "
                    "that shows that note.",
    "obsidian-wikilink": "Writes a wikilink (`[[Note#Heading|text]]`) as a link to where that note's text is shown.",
    "reference-duplicate": "Drops a second definition of a link label inside a list or quote: the first one counts.",
    "reference-inlined": "Writes a reference-style link (`[text][label]`) with its target inline, and drops the "
                         "definition once every link that used it has it.",
    "reference-joined": "Joins a link definition written over several lines onto one line.",
    "reference-moved": "Moves a link definition out of a list or quote to the end of the note, where it counts.",
    "relative-link": "Points a link to a note, heading or file in the notes folder at the page that shows it.",
    "service-name": "Writes an AWS service name the way data/names.yml gives it (`cloudTrail` to `CloudTrail`).",
    "snippet-marker": "Escapes text that the snippets extension would read as an instruction to include a file.",
    "spelling": "Fixes a misspelling from data/corrections.yml.",
    "spelling-dictionary": "Fixes a misspelling from codespell's dictionary of common English ones, in a note "
                           "that reads as English.",
    "stray-emphasis": "Removes an unpaired `**` right against a link, which would show as two stars.",
    "tab": "Turns a tab inside text into a space.",
    "title": "Gives the note its title (the front matter's, its one `#` heading, a first heading that opens the "
             "note alone at its level, or else the file name) and puts the title's text first.",
    "trailing-whitespace": "Removes spaces and tabs at the ends of lines.",
    "unicode-nfc": "Writes accented letters in one encoding (NFC), so that the same word is always the same text.",
}
