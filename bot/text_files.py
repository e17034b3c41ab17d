"""Text files people hand the bot (CSV exports from Excel or WPS, Markdown): UTF-8, with or
without the BOM Excel writes, or GB18030 (what a Chinese Windows saves "CSV" as)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Mapping

ENCODINGS = ("utf-8-sig", "gb18030")


def decode_text(data: bytes) -> str | None:
    """The text in ``data``; None when it is neither UTF-8 nor GB18030."""
    for encoding in ENCODINGS:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return None


def csv_records(
    text: str, columns: Mapping[str, str]
) -> tuple[list[str | None], Iterator[tuple[int, dict[str, str]]]]:
    """The header's columns as ``columns`` names them (None: a column nobody asked for;
    headers match case-insensitively, spaces trimmed), and each non-empty row after it as
    (its line number in the file, {column: value})."""
    reader = csv.reader(io.StringIO(text))
    header = next(reader, None) or []
    names = [columns.get(h.strip().lower()) for h in header]

    def rows() -> Iterator[tuple[int, dict[str, str]]]:
        for values in reader:
            if not any(v.strip() for v in values):
                continue
            cells = {n: v.strip() for n, v in zip(names, values, strict=False) if n is not None}
            yield reader.line_num, cells

    return names, rows()
