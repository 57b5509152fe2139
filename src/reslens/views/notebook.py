"""How reslens tables read in Jupyter: whole paragraph texts, every column.

``rl.setup_notebook()`` — the first code cell of every notebook calls it — sets pandas'
display options for the session so that a table shows each paragraph's whole text (pandas
cuts cells at 50 characters by default) and all its columns; the ``citation`` column
("S/RES/2388 (2017), pp. 23" is no citation: "S/RES/2388 (2017), preambular para. 23" is)
names each row unambiguously.
"""

from __future__ import annotations

#: The pandas options :func:`setup_notebook` sets, and their values.
OPTIONS: dict[str, object] = {
    "display.max_colwidth": None,  # whole texts
    "display.max_columns": None,  # every column
    "display.width": None,  # let the notebook wrap
}


def setup_notebook() -> dict[str, object]:
    """Set pandas' display options for reading reslens tables in a notebook.

    Returns:
        The options set and their values (:data:`OPTIONS`).

    Examples:
        >>> rl.setup_notebook()  # doctest: +SKIP
        >>> OPTIONS["display.max_colwidth"] is None
        True
    """
    import pandas as pd

    for name, value in OPTIONS.items():
        pd.set_option(name, value)
    return dict(OPTIONS)


__all__ = ["OPTIONS", "setup_notebook"]
