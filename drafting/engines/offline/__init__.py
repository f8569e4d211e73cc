"""The offline engine: a deterministic composer (no model)."""
