"""Sources: what drafting takes from the index (last year's report mapped to the outline, statute clauses)."""
