"""The SQLite store: resolutions, paragraphs, verbs, citations, passages, FTS5, coverage.
All SQL of the package lives in this folder."""

from reslens.store.db import DB_NAME, SCHEMA_VERSION, SOURCE_PRIORITY, SourceRecord, Store

__all__ = ["DB_NAME", "SCHEMA_VERSION", "SOURCE_PRIORITY", "SourceRecord", "Store"]
