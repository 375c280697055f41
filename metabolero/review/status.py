"""``metabolero status``: counts and the latest pooled results of a living review."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional

import sqlalchemy as sa

from .store import Store, conflicts, documents, records, runs, trials
from .snapshots import latest_snapshots


@dataclass
class Status:
    """Counts of a store and its latest pooled snapshot per analysis (ratio scale)."""

    documents: int
    trials: int
    records: int
    unverified: int            # flagged records no reviewer has decided on
    reviewed: int
    conflicts: int             # open conflicts between a reviewed value and a newer extraction
    updates: int
    last_update: Optional[str]
    pooled: list[dict] = field(default_factory=list)

    def summary_frame(self):
        """Return the latest pooled results as a pandas DataFrame (one row per analysis)."""
        import pandas as pd

        cols = ["analysis", "k", "estimate", "ci_low", "ci_high", "tau2", "i2", "created_at"]
        return pd.DataFrame([{c: p.get(c) for c in cols} for p in self.pooled], columns=cols)

    def summary(self) -> str:
        """Return the status as text."""
        lines = [
            f"documents: {self.documents}",
            f"trials: {self.trials}",
            f"records: {self.records} ({self.unverified} needing verification, {self.reviewed} reviewed, "
            f"{self.conflicts} in conflict with a newer extraction)",
            f"updates: {self.updates} (last {self.last_update or 'never'})",
        ]
        if self.pooled:
            lines.append("latest pooled results:")
            for p in self.pooled:
                if p.get("estimate") is None:
                    lines.append(f"  {p['analysis']}: not pooled (k={p['k']})")
                else:
                    lines.append(f"  {p['analysis']}: {p['estimate']:.3f} ({p['ci_low']:.3f}-{p['ci_high']:.3f}), "
                                 f"k={p['k']}, tau2={_g(p.get('tau2'))}, I2={_g(p.get('i2'))}% ({p['created_at']})")
        return "\n".join(lines)


def _g(x) -> str:
    return "n/a" if x is None else f"{x:.3g}"


def review_status(store: Store) -> Status:
    """Return the Status of a store (read-only; does not wait for a running update)."""
    count = sa.func.count()
    with store.read() as conn:
        active = records.c.active.is_(True)
        return Status(
            documents=conn.execute(sa.select(count).select_from(documents)).scalar_one(),
            trials=conn.execute(sa.select(count).select_from(trials)).scalar_one(),
            records=conn.execute(sa.select(count).select_from(records).where(active)).scalar_one(),
            unverified=conn.execute(sa.select(count).select_from(records).where(
                active, records.c.needs_review.is_(True), records.c.status == "extracted")).scalar_one(),
            reviewed=conn.execute(sa.select(count).select_from(records).where(
                active, records.c.status != "extracted")).scalar_one(),
            conflicts=conn.execute(sa.select(count).select_from(conflicts).where(
                conflicts.c.resolved_at.is_(None))).scalar_one(),
            updates=conn.execute(sa.select(count).select_from(runs)).scalar_one(),
            last_update=conn.execute(sa.select(sa.func.max(runs.c.finished_at))).scalar(),
            pooled=sorted((dict(v, payload=None) for v in latest_snapshots(conn).values()),
                          key=lambda p: p["id"]),
        )
