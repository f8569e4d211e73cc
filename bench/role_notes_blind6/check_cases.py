"""Check the held-out role_notes_blind6 cases (six new bureaus and note shapes: survey export, evidence
index, phone record sheets, transcribed voice messages, a month-by-column tracking table, a handover sheet):
every case.toml parses, every list entry is a literal substring of its notes.md, and the writing rules hold.

Run from anywhere: python3 bench/role_notes_blind6/check_cases.py
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from role_notes_cases import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main(Path(__file__).resolve().parent))
