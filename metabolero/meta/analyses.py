"""Run the configured pooled analyses of a review: select, derive log effects, pool.

Used by the one-off ``review`` job and by the living review, so both pool alike.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Iterable, Optional

from ..errors import MetaAnalysisError
from .select import Analysis, Candidate, Decision, ReviewConfig, select_for_pooling


@dataclass(frozen=True)
class PooledStudy:
    """A candidate that entered the pool, with its log effect and SE (and how they were derived)."""

    candidate: Candidate
    yi: float
    sei: float
    method: str


@dataclass
class AnalysisResult:
    """One configured analysis: the studies pooled, those set aside, and the pooled result."""

    analysis: Analysis
    studies: list[PooledStudy] = field(default_factory=list)
    set_aside: list[Decision] = field(default_factory=list)
    result: Optional[object] = None          # metabolero.meta.PoolResult when k >= 1
    message: Optional[str] = None

    @property
    def slug(self) -> str:
        """Return a file-name-safe name for the analysis."""
        return re.sub(r"[^a-z0-9]+", "-", self.analysis.name.lower()).strip("-") or "analysis"

    def to_dict(self) -> dict:
        """Return the analysis as JSON-able dict: settings, pooled figures, studies and set-aside reasons."""
        return {
            "analysis": self.analysis.name,
            "group": self.analysis.group,
            "endpoint": self.analysis.endpoint,
            "assessment": self.analysis.assessment,
            "k": len(self.studies),
            "message": self.message,
            "pooled": self.result.to_dict() if self.result is not None else None,
            "studies": [
                {"trial": s.candidate.trial, "doc_id": s.candidate.doc_id, "value": s.candidate.ratio.value,
                 "ci_low": s.candidate.ratio.ci_low, "ci_high": s.candidate.ratio.ci_high,
                 "yi": s.yi, "sei": s.sei, "derivation": s.method, "stage": s.candidate.stage,
                 "year": s.candidate.year, "quote": s.candidate.ratio.quote}
                for s in self.studies
            ],
            "set_aside": [
                {"trial": d.candidate.trial, "doc_id": d.candidate.doc_id, "value": d.candidate.ratio.value,
                 "reason": d.reason, "quote": d.candidate.ratio.quote}
                for d in self.set_aside
            ],
        }


def run_analysis(candidates: Iterable[Candidate], analysis: Analysis, config: ReviewConfig) -> AnalysisResult:
    """Return the pooled analysis of the candidates that belong to it (random effects as configured)."""
    from . import pool
    from .effects import derive_from_ratio

    used, aside = select_for_pooling(candidates, analysis, config.group_map)
    out = AnalysisResult(analysis, set_aside=list(aside))
    for c in used:
        d = derive_from_ratio(c.ratio)
        if d is None:
            out.set_aside.append(Decision(c, "no CI or exact p-value: standard error not derivable"))
            continue
        out.studies.append(PooledStudy(c, d.yi, d.sei, d.method))
    if not out.studies:
        out.message = "no study qualifies"
        return out
    if len(out.studies) == 1:
        out.message = "one study only: nothing to pool"
    labels = [f"{s.candidate.trial} ({s.candidate.year})" if s.candidate.year else s.candidate.trial
              for s in out.studies]
    try:
        out.result = pool([s.yi for s in out.studies], [s.sei for s in out.studies],
                          method=config.pooling.method, hksj=config.pooling.hksj,
                          level=config.pooling.level, studies=labels, measure=analysis.measure)
    except MetaAnalysisError as exc:
        out.message = f"not pooled: {exc}"
    return out


def run_analyses(candidates: list[Candidate], config: ReviewConfig) -> list[AnalysisResult]:
    """Return one AnalysisResult per analysis of the configuration, in its order."""
    return [run_analysis(candidates, a, config) for a in config.analyses]
