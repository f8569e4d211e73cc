"""Drafting: notes → facts → cited sections → verified Draft → exports."""
