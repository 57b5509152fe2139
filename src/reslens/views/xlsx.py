"""Tables as Excel workbooks (``.xlsx``, through openpyxl: the ``xlsx`` extra).

Every cell keeps its whole text (Excel holds up to 32,767 characters a cell; longer texts are
cut there with ``…``), characters Excel refuses (control characters) are dropped, and each
``url`` column's cells are links.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reslens.errors import MissingExtraError

if TYPE_CHECKING:
    import pandas as pd

#: The most characters Excel keeps in a cell.
CELL_LIMIT = 32_767
#: What openpyxl refuses to write (control characters other than tab and newlines).
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _cell(value: Any) -> Any:
    if isinstance(value, str):
        value = _ILLEGAL.sub("", value)
        if len(value) > CELL_LIMIT:
            value = value[: CELL_LIMIT - 1] + "…"
    return value


def to_xlsx(frame: pd.DataFrame, path: str | Path, sheet: str = "reslens") -> Path:
    """Write a table (any reslens DataFrame) as an Excel workbook, one sheet, header frozen.

    Args:
        frame: the table (``lib.search(…)``, ``lib.paragraphs(…)``, a lineage's ``nodes``, …).
        path: the file to write (``.xlsx``).
        sheet: the sheet's name.

    Returns:
        The path written.

    Raises:
        MissingExtraError: openpyxl is not installed (``pip install 'reslens[xlsx]'``).

    Examples:
        >>> rl.to_xlsx(lib.search("arms embargo"), "hits.xlsx")  # doctest: +SKIP
    """
    try:
        import openpyxl  # noqa: F401
    except ImportError as exc:
        raise MissingExtraError("openpyxl", "xlsx") from exc
    import pandas as pd

    out = Path(path)
    shown = frame.drop(columns=[c for c in frame.columns if str(c).startswith("_")])
    shown = shown.map(_cell) if len(shown) else shown
    with pd.ExcelWriter(out, engine="openpyxl") as writer:
        shown.to_excel(writer, sheet_name=sheet[:31], index=False)
        sheet_obj = writer.sheets[sheet[:31]]
        sheet_obj.freeze_panes = "A2"
        for col, name in enumerate(shown.columns, 1):
            if str(name) == "url" or str(name).endswith("_url"):
                for row in range(2, len(shown) + 2):
                    cell = sheet_obj.cell(row=row, column=col)
                    if isinstance(cell.value, str) and cell.value.startswith("http"):
                        cell.hyperlink = cell.value
    return out


__all__ = ["CELL_LIMIT", "to_xlsx"]
