"""Kaplan-Meier figures drawn as vector graphics: find axes, map step curves, read numbers at risk."""
from __future__ import annotations


def find_km_figures(page, page_no: int) -> list:
    """Return the digitised KM figures of one pdfplumber page (none yet)."""
    return []
