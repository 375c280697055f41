"""Human verification: export records needing review to CSV, import the reviewer's decisions.

The CSV has one row per record with its quote; the reviewer fills ``decision`` with
``verified`` (the figures are right), ``corrected`` (after editing value, ci_low, ci_high
or p) or ``rejected`` (not a result to use), and may add a ``note``. Rows left blank are
ignored. A reviewed record keeps its values through later re-extractions.
"""
from __future__ import annotations

import csv
import json
import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

import sqlalchemy as sa

from ..errors import RecordError, StoreError
from ..meta.select import ReviewConfig
from ..records import Median, Ratio
from .snapshots import repool
from .store import Store, conflicts, documents, dumps, now_iso, records, runs, trials, verifications

COLUMNS = ("record_id", "document", "trial", "kind", "measure", "endpoint", "value", "ci_low", "ci_high", "p",
           "qualifier", "experimental", "control", "status", "reasons", "newer_extraction", "quote",
           "decision", "note")
DECISIONS = ("verified", "corrected", "rejected")
EDITABLE = ("value", "ci_low", "ci_high", "p")


def _open_conflicts():
    return (sa.select(conflicts.c.record_id, conflicts.c.payload, conflicts.c.extractor_version)
            .where(conflicts.c.resolved_at.is_(None)))


def export_csv(store: Store, path) -> int:
    """Write the records needing review (flagged and unreviewed, or in conflict) to ``path``; return how many."""
    path = Path(path)
    with store.read() as conn:
        open_c = {}
        for r in conn.execute(_open_conflicts()):
            newer = json.loads(r.payload) if r.payload else None
            open_c.setdefault(r.record_id, []).append(
                f"{r.extractor_version}: " + (_describe(newer) if newer else "no longer found"))
        q = (sa.select(records, documents.c.doc_key, trials.c.name.label("trial"))
             .join(documents, documents.c.id == records.c.document_id)
             .join(trials, trials.c.id == documents.c.trial_id)
             .where(records.c.active.is_(True),
                    sa.or_(sa.and_(records.c.needs_review.is_(True), records.c.status == "extracted"),
                           records.c.id.in_(list(open_c) or [-1])))
             .order_by(records.c.id))
        path.parent.mkdir(parents=True, exist_ok=True)
        n = 0
        with open(path, "w", newline="", encoding="utf-8") as fh:
            w = csv.writer(fh)
            w.writerow(COLUMNS)
            for r in conn.execute(q):
                w.writerow([r.id, r.doc_key, r.trial, r.kind, r.measure or "", r.endpoint or "", _num(r.value),
                            _num(r.ci_low), _num(r.ci_high), r.p or "", r.qualifier or "", r.experimental or "",
                            r.control or "", r.status, r.review_reasons or "", " | ".join(open_c.get(r.id, [])),
                            r.quote or "", "", ""])
                n += 1
    return n


def _num(x) -> str:
    # repr round-trips a float exactly, so an untouched cell reads back as the same number.
    return "" if x is None else repr(float(x))


def _describe(payload: dict) -> str:
    parts = [str(payload.get("value"))]
    if payload.get("ci_low") is not None:
        parts.append(f"({payload.get('ci_low')}-{payload.get('ci_high')})")
    if payload.get("p"):
        parts.append(f"p{payload['p']}")
    return " ".join(parts)


@dataclass
class ImportResult:
    """Counts of an imported verification CSV."""

    verified: int = 0
    corrected: int = 0
    rejected: int = 0
    skipped: int = 0           # rows without a decision
    stale: list[int] = field(default_factory=list)   # records replaced by a re-extraction since the export

    def summary(self) -> str:
        """Return a one-line account of the import."""
        text = (f"{self.verified} verified, {self.corrected} corrected, {self.rejected} rejected, "
                f"{self.skipped} rows without a decision")
        if self.stale:
            text += (f"; {len(self.stale)} row(s) not applied: record(s) {', '.join(map(str, self.stale))} were "
                     f"re-extracted since the export (export again to review the new values)")
        return text


def _parse_float(text: str, where: str) -> Optional[float]:
    text = text.strip()
    if not text:
        return None
    try:
        v = float(text)
    except ValueError:
        raise RecordError(f"{where}: {text!r} is not a number") from None
    if not math.isfinite(v):
        raise RecordError(f"{where}: {text!r} is not a finite number")
    return v


_P = re.compile(r"^\s*(<=|>=|<|>|=)?\s*([0-9.eE+-]+)\s*$")


def _parse_p(text: str, where: str) -> tuple[Optional[float], Optional[str]]:
    if not text.strip():
        return None, None
    m = _P.match(text.replace("≤", "<=").replace("≥", ">="))
    if not m:
        raise RecordError(f"{where}: p = {text!r}; expected a number with an optional relation, e.g. <0.001")
    value = _parse_float(m.group(2), where)
    if not 0 <= value <= 1:
        raise RecordError(f"{where}: p = {text!r} is outside [0, 1]")
    return value, m.group(1) or "="


def _corrected_payload(row: dict, payload: dict, kind: str, where: str) -> dict:
    new = dict(payload)
    for key in ("value", "ci_low", "ci_high"):
        new[key] = _parse_float(row.get(key, ""), f"{where}, column {key}")
    if kind == "ratio":
        new["p_value"], new["p_relation"] = _parse_p(row.get("p", ""), f"{where}, column p")
        if new["value"] is not None and new["value"] <= 0:
            raise RecordError(f"{where}: a ratio must be positive, got value {new['value']}")
    lo, v, hi = new["ci_low"], new["value"], new["ci_high"]
    if lo is not None and hi is not None and not lo <= hi:
        raise RecordError(f"{where}: ci_low {lo} is above ci_high {hi}")
    if v is not None and lo is not None and hi is not None and not lo <= v <= hi:
        raise RecordError(f"{where}: value {v} lies outside its CI {lo}-{hi}")
    cls = Ratio if kind == "ratio" else Median
    try:
        return cls.from_dict(new).to_dict()
    except RecordError as exc:
        raise RecordError(f"{where}: {exc}") from exc


def import_csv(store: Store, path, config: Optional[ReviewConfig] = None) -> ImportResult:
    """Apply a reviewed CSV's decisions in one transaction (all rows or none); re-pool when a config is given.

    RecordError/StoreError name the file, the row and what was expected.
    """
    path = Path(path)
    try:
        with open(path, newline="", encoding="utf-8-sig") as fh:
            rows = list(csv.DictReader(fh))
    except FileNotFoundError:
        raise StoreError(f"{path}: verification file not found") from None
    if rows and not {"record_id", "decision"} <= set(rows[0]):
        raise RecordError(f"{path}: expected columns record_id and decision (as written by --export)")
    result = ImportResult()
    at = now_iso()
    with store.write() as conn:
        for i, row in enumerate(rows, start=2):            # line 1 is the header
            where = f"{path}, line {i}"
            decision = (row.get("decision") or "").strip().lower()
            if not decision:
                result.skipped += 1
                continue
            if decision not in DECISIONS:
                raise RecordError(f"{where}: decision = {decision!r}; expected one of {', '.join(DECISIONS)} or blank")
            try:
                rid = int(row["record_id"])
            except (TypeError, ValueError):
                raise RecordError(f"{where}: record_id = {row.get('record_id')!r}; expected an integer") from None
            rec = conn.execute(sa.select(records).where(records.c.id == rid)).first()
            if rec is None:
                raise StoreError(f"{where}: record {rid} is not in {store!r}")
            if not rec.active:
                result.stale.append(rid)
                continue
            old = json.loads(rec.payload)
            new = old
            if decision != "rejected":
                new = _corrected_payload(row, old, rec.kind, where)
                changed = [k for k in ("value", "ci_low", "ci_high", "p") if new.get(k) != old.get(k)]
                # Edited figures under "verified" are still a correction: record them as such.
                decision = "corrected" if changed else "verified"
                if not changed:
                    new = old
            setattr(result, decision, getattr(result, decision) + 1)
            values = dict(status=decision, needs_review=False, payload=dumps(new))
            if decision == "corrected":
                values.update(value=new.get("value"), ci_low=new.get("ci_low"), ci_high=new.get("ci_high"),
                              p=new.get("p"))
            conn.execute(records.update().where(records.c.id == rid).values(**values))
            conn.execute(verifications.insert().values(
                record_id=rid, at=at, action=decision, old_payload=rec.payload, new_payload=dumps(new),
                note=(row.get("note") or "").strip() or None, source=str(path)))
            conn.execute(conflicts.update().where(conflicts.c.record_id == rid, conflicts.c.resolved_at.is_(None))
                         .values(resolved_at=at))
        if config is not None and (result.corrected or result.rejected):
            run_id = conn.execute(runs.insert().values(
                started_at=at, finished_at=now_iso(), n_new=0, n_duplicates=0, n_reextracted=0, n_failed=0,
                report=f"verification import from {path}: {result.summary()}")).inserted_primary_key[0]
            repool(conn, config, run_id=run_id)
    return result
