"""Locates the public vaults used for robustness and scale tests (kept outside the project)."""

from __future__ import annotations

from pathlib import Path

import pytest

PROJECT_ROOT = Path(__file__).resolve().parents[1]
CORPORA = PROJECT_ROOT.parent / "shared" / "corpora"
VAULT = CORPORA / "obsidian-aws"


def vault_or_skip() -> Path:
    """The vault folder, or skip the calling test when it is not beside the project."""
    if not VAULT.is_dir():
        pytest.skip("the obsidian-aws vault is not present beside the project")
    return VAULT


def corpus_or_skip(name: str) -> Path:
    """The named vault of the shared corpora, or skip the calling test when it is not beside the project."""
    vault = CORPORA / name
    if not vault.is_dir():
        pytest.skip(f"the {name} vault is not present beside the project")
    return vault
