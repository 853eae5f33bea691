"""The build's processes: helpers die with the build, and a stop request unwinds it like Ctrl-C."""

from __future__ import annotations

import ctypes
import ctypes.util
import signal
import sys

_PR_SET_PDEATHSIG = 1


def die_with_parent() -> None:
    """Ask Linux to kill this process when the process that started it dies (a no-op elsewhere)."""
    # A killed build must not leave MkDocs or a normalising worker writing into folders it no longer owns.
    if not sys.platform.startswith("linux"):
        return
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):
        pass


def stop_on_terminate() -> None:
    """Let SIGTERM unwind the build as Ctrl-C does, so that its private folders are removed."""

    def interrupt(signum, frame):  # noqa: ARG001 - the signal handler's signature
        raise KeyboardInterrupt

    try:
        signal.signal(signal.SIGTERM, interrupt)
    except ValueError:  # not the main thread (a build started by the live preview's watcher)
        pass
