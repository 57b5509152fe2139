"""Named numpy arrays kept in the store (table ``arrays``): the search's precomputed columns
and BM25 postings. In the store, not beside it, so a build installs them with the store in
one rename and a killed build leaves the last good set.

An array set records the corpus fingerprint it was computed from; a reader gets None when
the set is missing, of another version or of another corpus (it then computes it again).
"""

from __future__ import annotations

import json

import numpy as np

from reslens.store.db import Store

_TABLE = (
    "CREATE TABLE IF NOT EXISTS arrays (name TEXT PRIMARY KEY, dtype TEXT NOT NULL, "
    "shape TEXT NOT NULL, data BLOB NOT NULL)"
)
_META = "arrays"


def write_arrays(store: Store, arrays: dict[str, np.ndarray], stamp: str) -> None:
    """Replace the store's array set with ``arrays``, recorded as computed for ``stamp``."""
    store.conn.execute(_TABLE)
    store.conn.execute("DELETE FROM arrays")
    store.conn.executemany(
        "INSERT INTO arrays (name, dtype, shape, data) VALUES (?, ?, ?, ?)",
        [
            (name, a.dtype.str, json.dumps(list(a.shape)), np.ascontiguousarray(a).tobytes())
            for name, a in arrays.items()
        ],
    )
    store.set_meta(_META, stamp)


def arrays_stamp(store: Store) -> str | None:
    """The stamp the stored array set was computed for (None: no set)."""
    return store.get_meta(_META) or None


#: A name with this mark (``term_rows@3``) is one block of a larger array: not read by
#: :func:`read_arrays`, but on demand by :func:`read_array`.
BLOCK_MARK = "@"


def block_name(name: str, k: int) -> str:
    """The name of block ``k`` of array ``name``: ``term_rows@3``."""
    return f"{name}{BLOCK_MARK}{k}"


def read_arrays(store: Store, stamp: str) -> dict[str, np.ndarray] | None:
    """The stored arrays when they were computed for ``stamp``, else None (blocks, whose name
    holds :data:`BLOCK_MARK`, are left in the store)."""
    if arrays_stamp(store) != stamp:
        return None
    exists = store.conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'arrays'"
    ).fetchone()
    if exists is None:
        return None
    out: dict[str, np.ndarray] = {}
    for name, dtype, shape, data in store.conn.execute(
        "SELECT name, dtype, shape, data FROM arrays WHERE instr(name, ?) = 0", (BLOCK_MARK,)
    ):
        out[str(name)] = _array(dtype, shape, data)
    return out


def read_array(store: Store, name: str) -> np.ndarray:
    """One stored array (a block) by name; KeyError when there is none."""
    row = store.conn.execute(
        "SELECT dtype, shape, data FROM arrays WHERE name = ?", (name,)
    ).fetchone()
    if row is None:
        raise KeyError(name)
    return _array(*row)


def _array(dtype: str, shape: str, data: bytes) -> np.ndarray:
    return np.frombuffer(data, dtype=np.dtype(dtype)).reshape(json.loads(shape))
