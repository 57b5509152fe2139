"""Search: filters, the semantic (FAISS) and lexical (FTS5 BM25) sides, and their fusion."""
