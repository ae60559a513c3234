"""A benchmark row (what was measured, beside its target) and the table they make."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

__all__ = ["Row", "print_table"]


@dataclass(frozen=True)
class Row:
    figure: str
    measured: str
    target: str
    ok: bool


def print_table(title: str, rows: Sequence[Row]) -> int:
    """Print the rows under ``title``; 0 when every target holds, else 1 (a regression is
    loud)."""
    print(f"\n{title}")
    cells = [(r.figure, r.measured, r.target) for r in rows]
    widths = [max(len(c[i]) for c in [("figure", "measured", "target"), *cells]) for i in range(3)]
    header = ("figure", "measured", "target")
    print("  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)) + "  ok")
    print("  ".join("-" * w for w in widths) + "  --")
    for row, cell in zip(rows, cells, strict=True):
        line = "  ".join(c.ljust(w) for c, w in zip(cell, widths, strict=True))
        print(line + ("  yes" if row.ok else "  NO"))
    return 0 if all(r.ok for r in rows) else 1
