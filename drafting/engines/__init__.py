"""Engines: the writers. Both return one section's text from one SectionContext (engines/base.py)."""
