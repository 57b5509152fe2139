"""Readers: one module per source format, each gives a :class:`~reslens.models.Resolution`."""
