"""Check the held-out role_notes_blind cases: every case.toml parses, every list entry is a literal
substring of its notes.md, and the writing rules hold.

Copied from bench/role_notes_final/check_cases.py; only this docstring differs.
Run from anywhere: python3 /work/blind/role_notes_blind/check_cases.py
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from role_notes_cases import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main(Path(__file__).resolve().parent))
