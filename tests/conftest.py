"""Shared fixtures. Tests that need ../shared skip with a reason when it is absent."""
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(__import__("os").environ.get("METABOLERO_SHARED", ROOT.parent / "shared"))


@pytest.fixture(scope="session")
def shared() -> Path:
    """Path of the read-only reference data (../shared); skips when it is absent."""
    if not (SHARED / "gold").is_dir():
        pytest.skip(f"reference data not found at {SHARED} (a fresh clone has no ../shared; CI does)")
    return SHARED


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT
