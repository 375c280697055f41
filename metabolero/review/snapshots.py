"""Pooled snapshots: the configured analyses re-run on the store's records, and what changed.

``repool`` reads the stored ratios of the configured endpoints, lets ``meta.analyses`` (and
``meta.select`` inside it) decide what is pooled, and with a run id stores one dated
snapshot per analysis with the reason each record was used or set aside.
"""
from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from typing import Optional

import sqlalchemy as sa

from ..meta.select import Candidate, ReviewConfig
from ..records import Flag, Ratio, Span
from .store import documents, dumps, now_iso, records, snapshot_items, snapshots, trials


def _finite(x) -> Optional[float]:
    return float(x) if x is not None and math.isfinite(float(x)) else None


@dataclass
class AnalysisChange:
    """One configured analysis before and after an update (ratio-scale figures)."""

    name: str
    before: Optional[dict]                 # {k, estimate, ci_low, ci_high} of the previous snapshot
    after: dict
    set_aside: list[dict] = field(default_factory=list)
    result: Optional[object] = None        # meta.analyses.AnalysisResult (not stored)

    @property
    def changed(self) -> bool:
        """True when k or a pooled figure differs from the previous snapshot (at 1e-9)."""
        if self.before is None:
            return True
        for key in ("k", "estimate", "ci_low", "ci_high"):
            a, b = self.before.get(key), self.after.get(key)
            if (a is None) != (b is None) or (a is not None and abs(a - b) > 1e-9):
                return True
        return False


def load_candidates(conn, config: ReviewConfig) -> tuple[list[Candidate], dict[int, int]]:
    """Return the pooling candidates stored for the configured analyses, and {id(candidate): record id}.

    Reads only active, not rejected ratios of the endpoints and measures the analyses name;
    each candidate is named by its store trial, so all publications of a trial group together.
    """
    endpoints = sorted({a.endpoint for a in config.analyses})
    measures = sorted({a.measure for a in config.analyses})
    if not endpoints:
        return [], {}
    q = (sa.select(records.c.id, records.c.payload, records.c.experimental, records.c.control, records.c.stage,
                   documents.c.doc_key, documents.c.year, documents.c.title, trials.c.name)
         .join(documents, documents.c.id == records.c.document_id)
         .join(trials, trials.c.id == documents.c.trial_id)
         .where(records.c.kind == "ratio", records.c.active.is_(True), records.c.status != "rejected",
                records.c.endpoint.in_(endpoints), records.c.measure.in_(measures))
         .order_by(records.c.id))
    cands, ids = [], {}
    for r in conn.execute(q):
        c = Candidate(trial=r.name, doc_id=r.doc_key, ratio=_ratio(json.loads(r.payload)),
                      experimental=r.experimental, control=r.control, stage=r.stage or "primary",
                      year=r.year, title=r.title)
        cands.append(c)
        ids[id(c)] = r.id
    return cands, ids


def _ratio(payload: dict) -> Ratio:
    """Rebuild a Ratio from the store's payload (``Ratio.to_dict()`` output).

    Equivalent to ``Ratio.from_dict`` for what the store writes, about ten times faster; an
    update re-reads every stored ratio of the configured analyses, so this is its hot loop.
    """
    d = {k: v for k, v in payload.items() if k not in ("p", "quote")}
    span = d.get("span")
    if span is not None:
        if span.get("bbox") is not None:
            span = dict(span, bbox=tuple(span["bbox"]))
        d["span"] = Span(**span)
    d["flags"] = tuple(Flag(**f) for f in d.get("flags") or ())
    return Ratio(**d)


def latest_snapshots(conn) -> dict[str, dict]:
    """Return {analysis name: latest snapshot row as dict} of the store."""
    last = sa.select(sa.func.max(snapshots.c.id)).group_by(snapshots.c.analysis).scalar_subquery()
    return {r.analysis: dict(r._mapping) for r in conn.execute(sa.select(snapshots).where(snapshots.c.id.in_(last)))}


def _figures(result) -> dict:
    """Ratio-scale pooled figures of an AnalysisResult: k, estimate, ci_low, ci_high, tau2, i2."""
    out = {"k": len(result.studies), "estimate": None, "ci_low": None, "ci_high": None, "tau2": None, "i2": None}
    if result.result is not None:
        p = result.result.to_dict()
        for key in ("estimate", "ci_low", "ci_high"):
            v = _finite(p.get(key))
            out[key] = math.exp(v) if v is not None else None
        out["tau2"] = _finite(p.get("tau2"))
        out["i2"] = _finite(p.get("I2", p.get("i2")))
    return out


def repool(conn, config: ReviewConfig, run_id: Optional[int] = None, only_if_changed: bool = False
           ) -> list[AnalysisChange]:
    """Re-run every configured analysis and return the changes against the latest snapshots.

    With a run id, a snapshot of every analysis (and why each record was used or set aside)
    is stored under it; with ``only_if_changed``, only when some analysis changed.
    """
    from ..meta.analyses import run_analyses

    if not config.analyses:
        return []
    prev = latest_snapshots(conn)
    cands, ids = load_candidates(conn, config)
    changes = []
    for res in run_analyses(cands, config):
        before = prev.get(res.analysis.name)
        aside = [{"trial": d.candidate.trial, "doc_id": d.candidate.doc_id, "value": d.candidate.ratio.value,
                  "reason": d.reason} for d in res.set_aside]
        changes.append(AnalysisChange(res.analysis.name,
                                      before and {k: before[k] for k in ("k", "estimate", "ci_low", "ci_high")},
                                      _figures(res), aside, res))
    if run_id is not None and (not only_if_changed or any(c.changed for c in changes)):
        for c in changes:
            _save(conn, c, ids, run_id)
    return changes


def _save(conn, change: AnalysisChange, ids: dict[int, int], run_id: int) -> None:
    res = change.result
    snap_id = conn.execute(snapshots.insert().values(
        run_id=run_id, created_at=now_iso(), analysis=change.name, payload=dumps(_jsonable(res.to_dict())),
        **change.after)).inserted_primary_key[0]
    items = [{"snapshot_id": snap_id, "record_id": ids[id(s.candidate)], "used": True, "reason": "pooled"}
             for s in res.studies]
    items += [{"snapshot_id": snap_id, "record_id": ids[id(d.candidate)], "used": False, "reason": d.reason}
              for d in res.set_aside]
    if items:
        conn.execute(snapshot_items.insert(), items)


def _jsonable(obj):
    """Return obj with non-finite floats as None and numpy scalars as Python numbers (strict JSON)."""
    if isinstance(obj, dict):
        return {str(k): _jsonable(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_jsonable(v) for v in obj]
    if hasattr(obj, "item") and not isinstance(obj, (str, bytes)):
        obj = obj.item()
    if isinstance(obj, float):
        return obj if math.isfinite(obj) else None
    if obj is None or isinstance(obj, (str, int, bool)):
        return obj
    return str(obj)
