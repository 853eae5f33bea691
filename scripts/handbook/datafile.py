"""Load YAML data files with line numbers and validate them against pydantic schemas.

Every error names the file, the line, the key, what was expected and what was received,
so that a person editing `data/*.yml` can fix it without reading code.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

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


def _walk(node: yaml.Node, loc: Loc, lines: dict[Loc, int], path: str) -> None:
    lines.setdefault(loc, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        seen: dict[Any, int] = {}
        for key_node, value_node in node.value:
            key = key_node.value
            line = key_node.start_mark.line + 1
            if key in seen:
                raise BuildError(
                    path,
                    f"{format_loc(loc + (key,))}: expected each key once; "
                    f"received it again (first on line {seen[key]})",
                    line=line,
                )
            seen[key] = line
            lines[loc + (key,)] = line
            _walk(value_node, loc + (key,), lines, path)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            lines[loc + (index,)] = item.start_mark.line + 1
            _walk(item, loc + (index,), lines, path)


def parse_yaml(text: str, path: str) -> YamlDocument:
    """Parse one YAML document, keeping the line of every key; syntax errors name the line."""
    try:
        node, data = _compose(text, FAST_LOADER)
    except yaml.YAMLError:
        # libyaml words its errors differently: the Python parser reads the file again to report it.
        node, data = _compose_or_fail(text, path)
    lines: dict[Loc, int] = {}
    if node is not None:
        _walk(node, (), lines, path)
    return YamlDocument(path=path, data=data, lines=lines)


# libyaml's parser (several times faster) when PyYAML was built with it.
FAST_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _compose(text: str, loader_class: type) -> tuple[yaml.Node | None, object]:
    loader = loader_class(text)
    try:
        node = loader.get_single_node()
        return node, loader.construct_document(node) if node is not None else None
    finally:
        loader.dispose()


def _compose_or_fail(text: str, path: str) -> tuple[yaml.Node | None, object]:
    try:
        return _compose(text, yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        problem = exc.problem or "invalid YAML"
        raise BuildError(path, f"invalid YAML: {problem}", line=line) from None
    except yaml.YAMLError as exc:
        raise BuildError(path, f"invalid YAML: {exc}") from None


def read_yaml(file: Path, display: str | None = None) -> YamlDocument:
    """Read and parse a YAML file; `display` is the name used in messages."""
    name = display or file.as_posix()
    try:
        text = file.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise BuildError(name, "file not found") from None
    except UnicodeDecodeError as exc:
        raise BuildError(name, "expected UTF-8 text", offset=exc.start) from None
    return parse_yaml(text, name)


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


def validate(document: YamlDocument, schema: type[ModelT]) -> ModelT:
    """Validate a parsed document; the first error (in file order) becomes a BuildError."""
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


def load_model(file: Path, schema: type[ModelT], display: str | None = None) -> tuple[ModelT, YamlDocument]:
    """Read, parse and validate a data file in one call."""
    document = read_yaml(file, display)
    return validate(document, schema), document
