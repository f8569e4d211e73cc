"""Retrieval: ingest, chunk, index (Chroma) and hybrid search (dense + BM25). chromadb stays in here."""
