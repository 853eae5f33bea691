"""Files of the build's cache: one marshalled value under a first line naming its format and a checksum.

A pack is written whole under a temporary name and renamed into place, so a reader sees the old pack or the
new one, never half of one; a pack of another format, damaged or cut short reads as None.
"""

from __future__ import annotations

import hashlib
import marshal
import os
import tempfile
from pathlib import Path

_CHECKSUM = 64  # hex characters of a SHA-256


def digest(*parts: bytes | str) -> str:
    """A hex SHA-256 of the parts, each length-prefixed so that no two lists of parts give the same bytes."""
    hasher = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8", "surrogatepass") if isinstance(part, str) else part
        hasher.update(len(data).to_bytes(8, "little"))
        hasher.update(data)
    return hasher.hexdigest()


def read_pack(path: Path, magic: bytes) -> object | None:
    """The value a pack holds, or None when there is no readable pack of this format at `path`."""
    try:
        data = path.read_bytes()
    except OSError:
        return None
    if not data.startswith(magic):
        return None
    # A view, not a slice: a slice would copy the payload, the largest thing the build reads.
    checksum, payload = data[len(magic):len(magic) + _CHECKSUM], memoryview(data)[len(magic) + _CHECKSUM:]
    if hashlib.sha256(payload).hexdigest().encode() != checksum:
        return None
    try:
        return marshal.loads(payload)
    except (EOFError, ValueError, TypeError):
        return None


def write_pack(path: Path, magic: bytes, value: object) -> None:
    """Write `value` as the pack at `path` (a value marshal can write: tuples, lists, dicts, text, numbers)."""
    payload = marshal.dumps(value)
    path.parent.mkdir(parents=True, exist_ok=True)
    # In parts: joined, the payload (a second copy of every cached note) would be held twice.
    write_atomically(path, magic, hashlib.sha256(payload).hexdigest().encode(), payload)


def write_atomically(path: Path, *parts: bytes) -> None:
    """Write the parts, one after another, as the file: under a temporary name beside it, renamed into place,
    so that readers see the old file or the new one, whole."""
    handle, temporary = tempfile.mkstemp(prefix=".tmp-", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as file:
            for part in parts:
                file.write(part)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def drop_oldest(folder: Path, pattern: str, keep: int) -> None:
    """Remove all but the `keep` most recently written files of `folder` matching `pattern`."""
    found = sorted(folder.glob(pattern), key=lambda p: p.stat().st_mtime_ns, reverse=True)
    for stale in found[keep:]:
        stale.unlink(missing_ok=True)
