"""Load YAML data files with line numbers and validate them against pydantic schemas.

Every error names the file, the line, the key, what was expected and what was received,
so that a person editing `data/*.yml` can fix it without reading code.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, RootModel, ValidationError
from yaml.composer import Composer
from yaml.constructor import SafeConstructor
from yaml.resolver import Resolver

from .load import DEFAULT_LIMITS, Limits, read_small_text
from .model import BuildError
from .templating import count

Loc = tuple[str | int, ...]
ModelT = TypeVar("ModelT", bound=BaseModel)


@dataclass(frozen=True)
class YamlDocument:
    """Parsed YAML plus the line of every key and list item, addressed by its path."""

    path: str
    data: Any
    lines: dict[Loc, int]

    def line_of(self, loc: Loc) -> int:
        """The line of the deepest known part of `loc` (1 when nothing matches)."""
        for end in range(len(loc), -1, -1):
            line = self.lines.get(tuple(loc[:end]))
            if line is not None:
                return line
        return 1

    def error(self, loc: Loc, expected: str, received: Any) -> BuildError:
        """A BuildError for `loc` in the standard 'key: expected …; received …' form."""
        return BuildError(
            self.path, f"{format_loc(loc)}: expected {expected}; received {format_value(received)}",
            line=self.line_of(loc),
        )


def format_loc(loc: Loc) -> str:
    """Render a key path like `services[3].category`."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out or "(document)"


def format_value(value: Any) -> str:
    """A short, readable form of a received value."""
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


def _walk(node: yaml.Node, loc: Loc, lines: dict[Loc, int], path: str, first_line: int) -> None:
    lines.setdefault(loc, node.start_mark.line + first_line)
    if isinstance(node, yaml.MappingNode):
        seen: dict[Any, int] = {}
        for key_node, value_node in node.value:
            key = key_node.value
            line = key_node.start_mark.line + first_line
            if key in seen:
                raise BuildError(
                    path,
                    f"{format_loc(loc + (key,))}: expected each key once; "
                    f"received it again (first on line {seen[key]})",
                    line=line,
                )
            seen[key] = line
            lines[loc + (key,)] = line
            _walk(value_node, loc + (key,), lines, path, first_line)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            lines[loc + (index,)] = item.start_mark.line + first_line
            _walk(item, loc + (index,), lines, path, first_line)


# Lists and mappings inside one another: the data files need 6. PyYAML composes and constructs by
# recursion, so a deeper document is refused while it is being parsed, before any of that starts.
MAX_DEPTH = 64

# libyaml's parser (several times faster) when PyYAML was built with it.
FAST_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def parse_yaml(text: str, path: str, first_line: int = 1) -> YamlDocument:
    """Parse one YAML document, keeping the line of every key; errors name the line.

    `first_line` is the file line where `text` starts (2 for front matter after its `---`). Anchors and
    aliases are refused (an alias bomb expands a few lines into gigabytes) and so is nesting deeper than
    MAX_DEPTH, both while the parser's events stream past, before PyYAML builds anything.
    """
    try:
        node, data = _compose(text, FAST_LOADER, path, first_line)
    except yaml.YAMLError:
        # libyaml words its errors differently: the Python parser reads the text again to report it.
        node, data = _compose_or_fail(text, path, first_line)
    lines: dict[Loc, int] = {}
    if node is not None:
        _walk(node, (), lines, path, first_line)
    return YamlDocument(path=path, data=data, lines=lines)


def _checked(events: Iterator[yaml.Event], path: str, first_line: int) -> Iterator[yaml.Event]:
    """The parser's events, stopped at the first anchor, alias or level deeper than MAX_DEPTH."""
    depth = 0
    for event in events:
        line = event.start_mark.line + first_line
        if isinstance(event, yaml.AliasEvent):
            raise BuildError(path, "expected plain YAML without anchors or aliases; received the alias "
                             f"'*{event.anchor}'", line=line)
        if getattr(event, "anchor", None) is not None:
            raise BuildError(path, "expected plain YAML without anchors or aliases; received the anchor "
                             f"'&{event.anchor}'", line=line)
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                raise BuildError(path, f"expected lists and mappings nested at most {MAX_DEPTH} deep; "
                                 f"received a {MAX_DEPTH + 1}th level", line=line)
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1
        yield event


class _EventLoader(Composer, SafeConstructor, Resolver):
    """PyYAML's composer and safe constructor, fed from a checked stream of parser events."""

    def __init__(self, events: Iterator[yaml.Event], path: str, first_line: int):
        Composer.__init__(self)
        SafeConstructor.__init__(self)
        Resolver.__init__(self)
        self.events = events
        self.next_event: yaml.Event | None = None
        self.path = path
        self.first_line = first_line

    def peek_event(self) -> yaml.Event:
        if self.next_event is None:
            self.next_event = next(self.events)
        return self.next_event

    def check_event(self, *choices: type) -> bool:
        return not choices or isinstance(self.peek_event(), choices)

    def get_event(self) -> yaml.Event:
        event = self.peek_event()
        self.next_event = None
        return event

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        try:
            value = super().construct_object(node, deep)
        except (ValueError, OverflowError) as exc:  # a date that does not exist, a number too long to read
            raise self._bad_value(node, str(exc)) from None
        if isinstance(value, int) and abs(value) >= _TOO_MANY_DIGITS:
            raise self._bad_value(node, "")  # Python refuses to write it out again (a hexadecimal one)
        return value

    def _bad_value(self, node: yaml.Node, reason: str) -> BuildError:
        expected = _VALUE_KINDS.get(node.tag, "a valid value")
        if reason and len(reason) <= 60 and node.tag != _INT:
            expected = f"{expected} ({reason})"
        return BuildError(self.path, f"expected {expected}, or text in quotes; received {format_value(node.value)}",
                          line=node.start_mark.line + self.first_line)


_INT = "tag:yaml.org,2002:int"
_TOO_MANY_DIGITS = 10 ** 4300  # Python's limit on the digits of a number turned into text
_VALUE_KINDS = {
    _INT: "a number of at most 4300 digits",
    "tag:yaml.org,2002:float": "a number",
    "tag:yaml.org,2002:timestamp": "a real date or time",
}


def _compose(text: str, loader_class: type, path: str, first_line: int) -> tuple[yaml.Node | None, object]:
    events = yaml.parse(text, Loader=loader_class)
    loader = _EventLoader(_checked(events, path, first_line), path, first_line)
    try:
        node = loader.get_single_node()
        return node, loader.construct_document(node) if node is not None else None
    finally:
        events.close()  # disposes of the parser, also when a check stopped it early


# What an error's context says was opened, for 'the '[' opened on line 3 is never closed'.
_OPENED = {"while parsing a flow sequence": "'['", "while parsing a flow mapping": "'{'"}


def _syntax_message(exc: yaml.MarkedYAMLError, first_line: int) -> str:
    """PyYAML's problem, with the line where an unclosed bracket or quote was opened."""
    if exc.context and not exc.context.startswith("while "):
        message = f"invalid YAML: {exc.context}, {exc.problem}"  # 'expected a single document in the stream, …'
    else:
        message = f"invalid YAML: {exc.problem or exc.context or 'not YAML'}"
    opened, stopped = exc.context_mark, exc.problem_mark
    if opened is None or stopped is None or opened.line == stopped.line:
        return message
    opener = _OPENED.get(exc.context or "")
    if exc.context == "while scanning a quoted scalar" and opened.buffer is not None:
        opener = f"quote {opened.buffer[opened.pointer]}"
    if opener is None:
        return message
    return f"{message}; the {opener} opened on line {opened.line + first_line} is never closed"


def _compose_or_fail(text: str, path: str, first_line: int) -> tuple[yaml.Node | None, object]:
    try:
        return _compose(text, yaml.SafeLoader, path, first_line)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + first_line if mark else None
        raise BuildError(path, _syntax_message(exc, first_line), line=line) from None
    except yaml.YAMLError as exc:
        raise BuildError(path, f"invalid YAML: {exc}") from None


def read_yaml(file: Path, display: str | None = None, limits: Limits = DEFAULT_LIMITS) -> YamlDocument:
    """Read and parse a YAML file (a regular file of at most limits.data_bytes); `display` names it in messages."""
    name = display or file.as_posix()
    return parse_yaml(read_small_text(file, name, limits, "a data file", "a YAML file", kind="file"), name)


def _expected_from(error: dict[str, Any]) -> str:
    kind = error["type"]
    msg: str = error["msg"]
    if kind == "missing":
        return "a value (the key is missing)"
    if kind == "extra_forbidden":
        return "no such key (unknown key)"
    if kind == "string_pattern_mismatch":
        return f"a string matching the pattern '{error['ctx']['pattern']}'"
    for prefix in ("Input should be ", "Value error, ", "Assertion failed, "):
        if msg.startswith(prefix):
            return msg[len(prefix):]
    return msg[0].lower() + msg[1:] if msg else kind


def _keys_of(schema: type[BaseModel]) -> str:
    names = [repr(field.alias or name) for name, field in schema.model_fields.items()]
    return ("the key " if len(names) == 1 else "the keys ") + ", ".join(names)


def validate(document: YamlDocument, schema: type[ModelT]) -> ModelT:
    """Validate a parsed document; the first error (in file order) becomes a BuildError."""
    if not isinstance(document.data, dict) and not issubclass(schema, RootModel):
        # pydantic would name the schema's class, which means nothing to the file's author.
        received = "an empty file" if document.data is None else format_value(document.data)
        raise BuildError(document.path, f"expected a mapping with {_keys_of(schema)}; received {received}",
                         line=None if document.data is None else document.line_of(()))
    try:
        return schema.model_validate(document.data)
    except ValidationError as exc:
        errors = sorted(exc.errors(), key=lambda e: document.line_of(tuple(e["loc"])))
        first = errors[0]
        loc = tuple(first["loc"])
        received = "nothing" if first["type"] == "missing" else format_value(first.get("input"))
        message = f"{format_loc(loc)}: expected {_expected_from(first)}; received {received}"
        if len(errors) > 1:
            message += f" (and {count(len(errors) - 1, 'more error')})"
        raise BuildError(document.path, message, line=document.line_of(loc)) from None


def load_model(file: Path, schema: type[ModelT], display: str | None = None,
               limits: Limits = DEFAULT_LIMITS) -> tuple[ModelT, YamlDocument]:
    """Read, parse and validate a data file in one call."""
    document = read_yaml(file, display, limits)
    return validate(document, schema), document
