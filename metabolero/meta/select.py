"""Which extracted ratios enter which pooled analysis, and why the others are set aside.

One place decides this for both the one-off ``review`` job and the living review:

* a review configuration (TOML) names drug classes (keywords matched in the
  experimental arm's name) and analyses (class x endpoint x assessment);
* a trial reported several times enters a pool once, with its latest analysis
  (final over updated over primary over interim, then the later publication);
  every other candidate is kept as a ``Decision`` with the reason it was set aside.
"""
from __future__ import annotations

import functools
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Optional

from ..errors import ConfigError
from ..records import Extraction, Ratio

ESTIMATORS = ("EE", "DL", "REML", "ML", "PM", "HS", "SJ", "HE", "EB")
ASSESSMENTS = ("investigator", "central", "any")

# Ordered from least to most mature: the most mature analysis of a trial is pooled.
STAGES = ("interim", "primary", "updated", "final")


# --------------------------------------------------------------------------- configuration
@dataclass(frozen=True)
class PoolingSettings:
    """How pooled analyses are run (metafor's estimator names)."""

    method: str = "REML"
    hksj: bool = False
    prediction_interval: bool = True
    measure: str = "HR"
    level: float = 95.0


@dataclass(frozen=True)
class Analysis:
    """One pooled analysis: a drug class, an endpoint and an assessment."""

    name: str
    group: str
    endpoint: str
    assessment: str = "investigator"
    measure: str = "HR"


@dataclass(frozen=True)
class ReviewConfig:
    """A review configuration: question, pooling settings, drug classes and analyses."""

    title: str = "metabolero review"
    question: str = ""
    pooling: PoolingSettings = field(default_factory=PoolingSettings)
    groups: tuple[tuple[str, tuple[str, ...]], ...] = ()
    analyses: tuple[Analysis, ...] = ()
    source: Optional[str] = None

    @property
    def group_map(self) -> dict[str, tuple[str, ...]]:
        """Return {class name: keywords}."""
        return dict(self.groups)


def _need(table: dict, key: str, kind, where: str):
    if key not in table:
        raise ConfigError(f"{where}: missing field '{key}'")
    value = table[key]
    if not isinstance(value, kind):
        raise ConfigError(f"{where}: field '{key}' should be {getattr(kind, '__name__', kind)}, got {value!r}")
    return value


def parse_config(data: dict, source: str = "<config>") -> ReviewConfig:
    """Return a validated ReviewConfig from parsed TOML data; ConfigError names the bad field."""
    review = data.get("review", {})
    pooling = data.get("pooling", {})
    method = str(pooling.get("method", "REML")).upper()
    if method not in ESTIMATORS:
        raise ConfigError(f"{source}: [pooling] method = {method!r}; expected one of {', '.join(ESTIMATORS)}")
    measure = str(pooling.get("measure", "HR")).upper()
    if measure not in ("HR", "OR", "RR"):
        raise ConfigError(f"{source}: [pooling] measure = {measure!r}; expected HR, OR or RR")
    settings = PoolingSettings(
        method=method,
        hksj=bool(pooling.get("hksj", False)),
        prediction_interval=bool(pooling.get("prediction_interval", True)),
        measure=measure,
        level=float(pooling.get("level", 95)),
    )
    groups_raw = data.get("groups", {})
    if not isinstance(groups_raw, dict):
        raise ConfigError(f"{source}: [groups] should map a class name to a list of keywords")
    groups = []
    for name, words in groups_raw.items():
        if isinstance(words, str):
            words = [words]
        if not isinstance(words, list) or not all(isinstance(w, str) and w.strip() for w in words):
            raise ConfigError(f"{source}: [groups] {name!r} should be a list of non-empty keywords")
        groups.append((name, tuple(w.strip().lower() for w in words)))
    analyses = []
    for i, a in enumerate(data.get("analysis", [])):
        where = f"{source}: [[analysis]] #{i + 1}"
        group = _need(a, "group", str, where)
        if group not in groups_raw:
            raise ConfigError(f"{where}: group {group!r} is not defined in [groups] ({', '.join(groups_raw) or 'none'})")
        assessment = str(a.get("assessment", "investigator")).lower()
        if assessment not in ASSESSMENTS:
            raise ConfigError(f"{where}: assessment = {assessment!r}; expected one of {ASSESSMENTS}")
        endpoint = _need(a, "endpoint", str, where)
        analyses.append(Analysis(
            name=str(a.get("name") or f"{group} - {endpoint} ({assessment})"),
            group=group,
            endpoint=endpoint,
            assessment=assessment,
            measure=str(a.get("measure", measure)).upper(),
        ))
    return ReviewConfig(
        title=str(review.get("title", "metabolero review")),
        question=str(review.get("question", "")),
        pooling=settings,
        groups=tuple(groups),
        analyses=tuple(analyses),
        source=source,
    )


def load_config(path) -> ReviewConfig:
    """Read a review configuration TOML file; ConfigError names the file and the field."""
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"{path}: review configuration not found") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: not valid TOML ({exc})") from exc
    return parse_config(data, str(path))


# --------------------------------------------------------------------------- classification
_CENTRAL = re.compile(r"central|independent|blinded|\bbicr\b|\bircr?\b|radiolog", re.I)
_INVESTIGATOR = re.compile(r"investigator|local", re.I)


def assessment_of(ratio: Ratio) -> str:
    """Return 'central', 'investigator' or 'unspecified' from the ratio's qualifier."""
    q = ratio.qualifier or ""
    if _CENTRAL.search(q):
        return "central"
    if _INVESTIGATOR.search(q):
        return "investigator"
    return "unspecified"


@functools.lru_cache(maxsize=256)
def _keyword_re(words: tuple[str, ...]) -> re.Pattern:
    return re.compile(r"(?<![a-z0-9])(?:" + "|".join(re.escape(w) for w in words) + r")(?![a-z0-9])")


def drug_class(arm_name: Optional[str], groups) -> Optional[str]:
    """Return the first class whose keyword occurs (as a word) in the arm name, else None."""
    if not arm_name:
        return None
    items = groups.items() if isinstance(groups, dict) else groups
    low = arm_name.lower()
    for name, words in items:
        if words and _keyword_re(tuple(words)).search(low):
            return name
    return None


_STAGE_WORDS = (
    ("final", re.compile(r"\bfinal\b", re.I)),
    ("updated", re.compile(r"\bupdated?\b|extended follow-?up|long[- ]term|exploratory update|\bmature\b", re.I)),
    ("interim", re.compile(r"\binterim\b", re.I)),
    ("primary", re.compile(r"\bprimary analysis\b", re.I)),
)


def analysis_stage(ratio: Ratio, title: Optional[str] = None, text: Optional[str] = None) -> str:
    """Return the stage of the analysis a ratio reports: interim, primary, updated or final.

    The ratio's own qualifier decides first, then its quote's sentence context is not
    available here, so the document title and then its text are read; 'primary' when
    nothing is said (a trial's first report of its primary endpoint).
    """
    for src in (ratio.qualifier, title, text):
        if not src:
            continue
        for stage, rx in _STAGE_WORDS:
            if rx.search(src):
                return stage
    return "primary"


def trial_key(name: str) -> str:
    """Return a comparable key for a trial name ('MONARCH 3' and 'MONARCH-3' agree)."""
    return re.sub(r"[^A-Z0-9]", "", name.upper())


# --------------------------------------------------------------------------- candidates
@dataclass(frozen=True)
class Candidate:
    """One reported ratio of one document, with what selection needs to know about it."""

    trial: str                      # display name (acronym, NCT id, or document id)
    doc_id: str
    ratio: Ratio
    experimental: Optional[str]
    control: Optional[str]
    stage: str = "primary"
    year: Optional[int] = None
    title: Optional[str] = None

    @property
    def key(self) -> str:
        return trial_key(self.trial)

    @property
    def order(self) -> int:
        """Position of the ratio in its document (the first reported is the main estimate)."""
        return self.ratio.span.start if self.ratio.span else 0


@dataclass(frozen=True)
class Decision:
    """A candidate that was not pooled, and why."""

    candidate: Candidate
    reason: str


def candidates_from_extraction(ext: Extraction, text: Optional[str] = None) -> list[Candidate]:
    """Return one Candidate per ratio of an extraction (trial named by acronym, NCT id or doc id)."""
    doc = ext.document or {}
    study = ext.study
    trials = list(study.trials) or list(doc.get("trials") or []) or list(study.nct_ids)
    trial = trials[0] if trials else ext.id
    arms: dict[str, str] = {}
    for a in study.arms:
        # the first arm named in each role is the randomisation's; later mentions may be partial
        if a.role and a.role not in arms:
            arms[a.role] = a.name
    out = []
    for r in ext.ratios:
        out.append(Candidate(
            trial=trial,
            doc_id=ext.id,
            ratio=r,
            experimental=r.experimental_arm or arms.get("experimental"),
            control=r.control_arm or arms.get("control"),
            stage=analysis_stage(r, doc.get("title"), text),
            year=doc.get("year"),
            title=doc.get("title"),
        ))
    return out


def _maturity(c: Candidate) -> tuple:
    """Sort key, larger = preferred: later publication, more mature stage, a CI, reported first."""
    r = c.ratio
    return (c.year or 0, STAGES.index(c.stage), r.ci_low is not None and r.ci_high is not None, c.doc_id, -c.order)


def _is_subgroup(r: Ratio) -> bool:
    q = (r.qualifier or "").lower()
    return q.startswith("subgroup") or "cohort" in q


def _why_not(best: Candidate, other: Candidate) -> str:
    if other.doc_id == best.doc_id:
        return (f"{best.trial}: another estimate in the same document ({other.ratio.qualifier or 'no qualifier'}); "
                f"the first-reported estimate is the trial's main one")
    return (f"{best.trial}: {other.stage} analysis ({other.doc_id}, {other.year or 'year n/a'}) set aside; "
            f"latest analysis used ({best.stage}, {best.doc_id}, {best.year or 'year n/a'}) so patients are counted once")


def select_for_pooling(candidates: Iterable[Candidate], analysis: Analysis, groups) -> tuple[list[Candidate], list[Decision]]:
    """Return (pooled candidates, set-aside decisions) for one analysis.

    Candidates of another measure, endpoint, assessment or drug class are not part of
    this analysis and are not listed. Of the rest, ratios without a value are set aside,
    and subgroup estimates when the trial has a whole-population one; of each trial only
    the latest, most mature analysis is pooled (the first-reported estimate of a document).
    """
    candidates = list(candidates)
    # trials with a whole-population estimate of this endpoint under any assessment: their
    # subgroup estimates never stand for them
    has_whole = {c.key for c in candidates if c.ratio.measure == analysis.measure
                 and c.ratio.endpoint == analysis.endpoint and c.ratio.value is not None and not _is_subgroup(c.ratio)}
    relevant = []
    set_aside: list[Decision] = []
    for c in candidates:
        r = c.ratio
        if r.measure != analysis.measure or r.endpoint != analysis.endpoint:
            continue
        if drug_class(c.experimental, groups) != analysis.group:
            continue
        assess = assessment_of(r)
        if analysis.assessment == "investigator" and assess == "central":
            continue
        if analysis.assessment == "central" and assess != "central":
            continue
        if r.value is None:
            set_aside.append(Decision(c, "no point estimate"))
        else:
            relevant.append(c)
    by_trial: dict[str, list[Candidate]] = {}
    for c in relevant:
        by_trial.setdefault(c.key, []).append(c)
    used = []
    for key in sorted(by_trial):
        group = by_trial[key]
        if key in has_whole:
            for c in group:
                if _is_subgroup(c.ratio):
                    set_aside.append(Decision(c, f"subgroup estimate ({c.ratio.qualifier}); the trial reports a whole-population estimate"))
            group = [c for c in group if not _is_subgroup(c.ratio)]
            if not group:
                continue
        # With no whole-population estimate (a trial reported by cohort), the cohort reported
        # first - the trial's primary population - stands for the trial.
        group = sorted(group, key=_maturity, reverse=True)
        best = group[0]
        used.append(best)
        for other in group[1:]:
            set_aside.append(Decision(other, _why_not(best, other)))
    return used, set_aside
