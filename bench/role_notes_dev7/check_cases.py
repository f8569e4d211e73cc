"""Check the role_notes_dev7 development cases: every case.toml parses, every list entry is a literal
substring of its notes.md, and the writing rules hold.

Copied unchanged from bench/role_notes_final/check_cases.py apart from this docstring.

Run from anywhere: python bench/role_notes_dev7/check_cases.py
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from role_notes_cases import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main(Path(__file__).resolve().parent))
