"""Analyses over paragraphs: similarity, redlines, alignment, lineage, evolution, precedents,
citations. They take narrow inputs (a store, a search or encode function, paragraphs), never
the Library."""
