"""The evidence table: one row per extracted value, each with its quote and character span."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Iterable

import pandas as pd

from ..meta.select import assessment_of
from ..records import Document, Extraction

COLUMNS = [
    "doc_id", "trial", "source", "format", "journal", "year", "pmid", "doi",
    "record", "measure", "endpoint", "assessment", "qualifier",
    "value", "not_reached", "unit", "ci_low", "ci_high", "ci_level", "p", "p_value", "p_relation",
    "arm", "arm_role", "experimental_arm", "control_arm",
    "yi", "sei", "derivation", "flags", "quote", "span_start", "span_end", "page",
]


def _trial(ext: Extraction, doc: Document) -> str:
    trials = list(ext.study.trials) or list(doc.trials) or list(ext.study.nct_ids)
    return trials[0] if trials else ""


def _flags(flags) -> str:
    return "; ".join(f"{f.code}: {f.message}" for f in flags)


def evidence_rows(items: Iterable[tuple[Document, Extraction]]) -> pd.DataFrame:
    """Return the evidence table: a row per ratio and per median, with provenance columns.

    Ratio rows carry ``yi``/``sei`` (log scale) and the ``derivation`` method when a
    standard error can be derived from what was reported (see metabolero.meta.effects).
    """
    from ..meta.effects import derive_from_ratio

    rows = []
    for doc, ext in items:
        base = {
            "doc_id": ext.id, "trial": _trial(ext, doc), "source": doc.source, "format": doc.format,
            "journal": doc.journal, "year": doc.year, "pmid": doc.pmid, "doi": doc.doi,
        }
        for r in ext.ratios:
            derived = derive_from_ratio(r)
            span = r.span
            flags = list(r.flags) + (list(derived.flags) if derived is not None else [])
            rows.append({
                **base, "record": "ratio", "measure": r.measure, "endpoint": r.endpoint,
                "assessment": assessment_of(r), "qualifier": r.qualifier,
                "value": r.value, "ci_low": r.ci_low, "ci_high": r.ci_high, "ci_level": r.ci_level,
                "p": r.p, "p_value": r.p_value, "p_relation": r.p_relation,
                "experimental_arm": r.experimental_arm, "control_arm": r.control_arm,
                "yi": derived.yi if derived is not None else None,
                "sei": derived.sei if derived is not None else None,
                "derivation": derived.method if derived is not None else "not derivable",
                "flags": _flags(flags),
                "quote": span.quote if span else None, "span_start": span.start if span else None,
                "span_end": span.end if span else None, "page": span.page if span else None,
            })
        for m in ext.medians:
            span = m.span
            rows.append({
                **base, "record": "median", "endpoint": m.endpoint, "qualifier": m.qualifier,
                "value": m.value, "not_reached": m.not_reached, "unit": m.unit,
                "ci_low": m.ci_low, "ci_high": m.ci_high, "arm": m.arm, "arm_role": m.arm_role,
                "flags": _flags(m.flags),
                "quote": span.quote if span else None, "span_start": span.start if span else None,
                "span_end": span.end if span else None, "page": span.page if span else None,
            })
    return pd.DataFrame(rows, columns=COLUMNS)


def write_evidence(table: pd.DataFrame, items: Iterable[tuple[Document, Extraction]], out: Path) -> dict[str, Path]:
    """Write evidence.csv, evidence.jsonl (table rows) and extractions.jsonl; return their paths."""
    out.mkdir(parents=True, exist_ok=True)
    paths = {"csv": out / "evidence.csv", "jsonl": out / "evidence.jsonl", "extractions": out / "extractions.jsonl"}
    table.to_csv(paths["csv"], index=False)
    with open(paths["jsonl"], "w", encoding="utf-8") as fh:
        for rec in table.to_dict(orient="records"):
            clean = {k: (None if isinstance(v, float) and v != v else v) for k, v in rec.items()}
            fh.write(json.dumps(clean, ensure_ascii=False, default=str) + "\n")
    with open(paths["extractions"], "w", encoding="utf-8") as fh:
        for _, ext in items:
            fh.write(json.dumps(ext.to_dict(), ensure_ascii=False) + "\n")
    return paths
