"""Which files and folders of a vault its own settings keep off the site.

Three sources, in this order, the later able to override the earlier:

- the build's default ignore list (DEFAULT_IGNORE): folders that Obsidian plugins fill with their own data at the
  vault's root, not with notes;
- Obsidian's excluded files (Settings → Files and links → Excluded files, `userIgnoreFilters` in
  `.obsidian/app.json`): each a path prefix (`Templates/`, `Archive`) or, between slashes, a regular expression
  searched in the path (`/\\.excalidraw\\.md$/`);
- the ignore file at the vault's root (IGNORE_FILE), in gitignore syntax, read by pathspec; a `!pattern` there
  publishes what the default list or an earlier line keeps out.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

import pathspec

from .model import BuildError

IGNORE_FILE = ".handbookignore"
OBSIDIAN_SETTINGS = ".obsidian/app.json"
OBSIDIAN_FILTERS_KEY = "userIgnoreFilters"
# Folders that popular Obsidian plugins create at the vault's root for their own prompts, chats and templates
# (Copilot, Text Generator); written in gitignore syntax, so that the ignore file can publish one with `!name/`.
DEFAULT_IGNORE = ("/copilot-custom-prompts/", "/copilot-conversations/", "/textgenerator/")
DEFAULT_REASON = "an Obsidian plugin's data folder (the build's default ignore list)"


@dataclass(frozen=True)
class IgnoreLine:
    """One gitignore pattern and why a path it matches is left out."""

    pattern: str
    reason: str


@dataclass(frozen=True)
class ObsidianFilter:
    """One of Obsidian's excluded-files entries: a path prefix, or a regular expression between slashes."""

    text: str
    regex: re.Pattern[str] | None

    def matches(self, path: str) -> bool:
        """Whether Obsidian excludes the vault-relative path (a folder's ends with '/')."""
        return bool(self.regex.search(path)) if self.regex else path.startswith(self.text)


@dataclass(frozen=True)
class IgnoreRules:
    """The vault's rules for what is not published; `reason` says why a path is left out, or None."""

    lines: tuple[IgnoreLine, ...] = ()
    obsidian: tuple[ObsidianFilter, ...] = ()
    # The gitignore lines as one pathspec, whose match index is the line's index in `lines`.
    spec: pathspec.GitIgnoreSpec = field(init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "spec", pathspec.GitIgnoreSpec.from_lines(line.pattern for line in self.lines))

    def reason(self, path: str, folder: bool) -> str | None:
        """Why the vault-relative POSIX path is not published, or None when it is."""
        shown = f"{path}/" if folder else path
        for entry in self.obsidian:
            if entry.matches(shown):
                return f"excluded in Obsidian's settings ({OBSIDIAN_SETTINGS}, {OBSIDIAN_FILTERS_KEY}: `{entry.text}`)"
        if not self.lines:
            return None
        result = self.spec.check_file(shown)
        if not result.include or result.index is None:
            return None
        return self.lines[result.index].reason


def ignore_file_lines(text: str) -> list[IgnoreLine]:
    """The patterns of the vault's ignore file, each checked alone so that a bad one is named by its line."""
    lines = []
    for number, raw in enumerate(text.splitlines(), 1):
        pattern = raw.rstrip("\r")
        if not pattern.strip() or pattern.startswith("#"):
            continue
        try:
            pathspec.GitIgnoreSpec.from_lines([pattern])
        except (ValueError, TypeError) as exc:
            raise BuildError(IGNORE_FILE, f"expected a gitignore pattern; received {pattern!r} ({exc})",
                             line=number) from None
        lines.append(IgnoreLine(pattern, f"listed in {IGNORE_FILE} (line {number}: `{pattern.strip()}`)"))
    return lines


def _line_of(text: str, needle: str, start: int = 0) -> int:
    """The 1-based line where `needle` first stands at or after `start` (the key's line when it is not found)."""
    found = text.find(needle, start)
    return text.count("\n", 0, found if found >= 0 else start) + 1


def obsidian_filters(text: str) -> list[ObsidianFilter]:
    """Obsidian's excluded files, from the text of `.obsidian/app.json`."""
    try:
        settings = json.loads(text)
    except json.JSONDecodeError as exc:
        raise BuildError(OBSIDIAN_SETTINGS, f"expected JSON; received text that is not JSON ({exc.msg.lower()})", line=exc.lineno,
                         column=exc.colno) from None
    if not isinstance(settings, dict) or OBSIDIAN_FILTERS_KEY not in settings:
        return []
    key_at = text.find(f'"{OBSIDIAN_FILTERS_KEY}"')
    entries = settings[OBSIDIAN_FILTERS_KEY]
    if not isinstance(entries, list):
        raise BuildError(OBSIDIAN_SETTINGS, f"{OBSIDIAN_FILTERS_KEY}: expected a list of paths or /regular "
                         f"expressions/; received {type(entries).__name__}", line=_line_of(text, "", key_at))
    filters = []
    for index, entry in enumerate(entries):
        line = _line_of(text, json.dumps(entry), key_at)
        if not isinstance(entry, str):
            raise BuildError(OBSIDIAN_SETTINGS, f"{OBSIDIAN_FILTERS_KEY}[{index}]: expected a path or a /regular "
                             f"expression/; received {json.dumps(entry)}", line=line)
        if not entry.strip():
            continue
        regex = None
        if len(entry) > 2 and entry.startswith("/") and entry.endswith("/"):
            try:
                regex = re.compile(entry[1:-1])
            except re.error as exc:
                raise BuildError(OBSIDIAN_SETTINGS, f"{OBSIDIAN_FILTERS_KEY}[{index}]: expected a regular "
                                 f"expression; received {entry!r} ({exc})", line=line) from None
        filters.append(ObsidianFilter(entry, regex))
    return filters


def ignore_rules(ignore_file: str | None, obsidian_settings: str | None) -> IgnoreRules:
    """The vault's ignore rules from the texts of its ignore file and Obsidian settings (None: the vault has none)."""
    lines = [IgnoreLine(pattern, DEFAULT_REASON) for pattern in DEFAULT_IGNORE]
    lines += ignore_file_lines(ignore_file) if ignore_file is not None else []
    filters = obsidian_filters(obsidian_settings) if obsidian_settings is not None else []
    return IgnoreRules(tuple(lines), tuple(filters))
