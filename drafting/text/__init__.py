"""Text: figures, full-width hygiene, jieba tokens. The bottom layer: imports nothing of drafting."""
