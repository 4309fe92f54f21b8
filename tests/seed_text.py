"""The seed document and the small, explicit steps that undo its extraction losses, shared by the
demo tests that check a demo against it.

The seed is the PDF's extracted text: it runs a page to a line, and it lost, among other things,
every letter "x". A test looks a demo text up in the seed only after these steps, each written
out and never loosened to let a text pass: ``collapse`` the whitespace, and ``restore`` a listed
set of whole words.
"""

import os
import re
from pathlib import Path

import pytest

# The seed lies beside the project (../shared/seed), unless KOMMUNPLAN_SEED names it.
SEED = Path(
    os.environ.get(
        "KOMMUNPLAN_SEED",
        Path(__file__).resolve().parents[2] / "shared" / "seed" / "000_caf97ba528c8fed6.txt",
    )
)


def read_seed_text() -> str:
    """The seed as extracted; the test is skipped where the seed is not on the machine."""
    if not SEED.exists():
        pytest.skip(f"the seed {SEED} is not on this machine (KOMMUNPLAN_SEED names it)")
    return SEED.read_text(encoding="utf-8")


def collapse(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def restore(text: str, words: tuple[tuple[str, str], ...]) -> str:
    """``text`` with each listed whole word (lost, as printed) replaced by the word it was."""
    for lost, word in words:
        text = re.sub(rf"\b{lost}\b", word, text)
    return text
