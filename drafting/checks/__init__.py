"""Checks: judge a draft against the notes and sources. They import text/, notes/ and types, never an engine."""
