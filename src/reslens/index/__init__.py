"""Building the index directory: passages, embedders, vectors (FAISS), the build and ingest."""
