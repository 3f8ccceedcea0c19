"""Long property-based run: the invariants of tests/test_properties.py on 2,000 generated corpora each.

Runs the hypothesis tests of ``tests/test_properties.py`` under the ``long`` profile (2,000 random
examples per property: loader, tokenizer engines, quotes, numbers, contrasts) and prints, per
property, how many examples ran, how many corpora loaded or were refused with a CorpusError, and
whether any failed (with hypothesis' minimal failing example).

Usage: ``.venv/bin/python benchmarks/fuzz_corpora.py`` (about 20 minutes on two busy cores); the
normal test run uses the ``fast`` profile of the same tests.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest


def main() -> int:
    os.environ["HYPOTHESIS_PROFILE"] = "long"
    root = Path(__file__).resolve().parent.parent
    return pytest.main(
        [
            "-p",
            "no:cacheprovider",
            "-q",
            "-m",
            "not slow",
            "--hypothesis-show-statistics",
            str(root / "tests" / "test_properties.py"),
        ]
    )


if __name__ == "__main__":
    sys.exit(main())
