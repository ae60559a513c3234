"""A benchmark row (what was measured, beside its target) and the table they make."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

__all__ = ["Row", "print_table", "table", "write_into"]


@dataclass(frozen=True)
class Row:
    figure: str
    measured: str
    target: str
    ok: bool


def table(rows: Sequence[Row]) -> str:
    """The rows as a plain-text table, with an ok column."""
    cells = [(r.figure, r.measured, r.target) for r in rows]
    header = ("figure", "measured", "target")
    widths = [max(len(c[i]) for c in [header, *cells]) for i in range(3)]
    lines = ["  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)) + "  ok"]
    lines.append("  ".join("-" * w for w in widths) + "  --")
    for row, cell in zip(rows, cells, strict=True):
        line = "  ".join(c.ljust(w) for c, w in zip(cell, widths, strict=True))
        lines.append(line + ("  yes" if row.ok else "  NO"))
    return "\n".join(lines) + "\n"


def print_table(title: str, rows: Sequence[Row]) -> int:
    """Print the rows under ``title``; 0 when every target holds, else 1 (a regression is
    loud)."""
    print(f"\n{title}\n{table(rows)}", end="")
    return 0 if all(r.ok for r in rows) else 1


def write_into(page: Path, part: str, title: str, rows: Sequence[Row]) -> None:
    """Write the table into ``page`` between ``<!-- bench: PART -->`` and ``<!-- end bench
    -->``: the performance page shows what the last `make bench` (or `make bench-shared`)
    measured, on the machine it ran on."""
    text = page.read_text()
    block = re.compile(rf"(<!-- bench: {part} -->\n).*?(<!-- end bench -->)", re.S)
    if not block.search(text):
        raise ValueError(f"{page} has no <!-- bench: {part} --> block")
    fresh = f"```text\n{title}\n{table(rows)}```\n"
    page.write_text(block.sub(lambda m: m.group(1) + fresh + m.group(2), text))
