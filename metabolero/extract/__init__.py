"""metabolero.extract: ratios, medians and study facts from the text of a publication.

``extract(doc_or_text)`` is a pure function of its input: a ``Document`` (or a string)
in, an ``Extraction`` out, with every value carrying a ``Span`` whose ``quote`` is
exactly ``document.text[start:end]``.
"""
from __future__ import annotations

import bisect
import operator
import re
from typing import Optional, Union

from ..errors import ExtractionError
from ..records import Arm, Document, Extraction, Flag, Median, Ratio, Span, Study
from .checks import ratio_flags
from .endpoints import primary_endpoint, with_defined_abbreviations
from .medians import _contains_words as _whole_words
from .medians import _qualifier, drug_words, find_medians
from .ratios import find_ratios, ratio_endpoints
from .study import (ARM_LABEL_RE, find_allocation, is_meta, role_hints, find_design_arms, find_n_randomized, find_phase,
                    find_trials, is_randomized)
from .text import Sentences, has_odd_folds, literal_starts, lower, matches_at, normalize

EXTRACTOR_VERSION = "0.2.0"

# Sections of a full paper that extraction reads; everything else (references,
# acknowledgements, tables of other works) is blanked out.
_SKIP_SECTIONS = re.compile(
    r"(?i)^(?:references?|bibliography|literature\s+cited|acknowledge?ments?|funding|conflicts?\s+of\s+interest|"
    r"disclosures?|competing\s+interests?|author\s+contributions?|supplementary|appendix)"
)

# "In the PD-L1 >=50% subgroup, the HR ..." / "among patients with ..."
_SUBGROUP_RE = re.compile(
    r"(?i)\b(?:in|among)\s+(?:the\s+)?(?:subgroup\s+of\s+)?(?P<g>(?:patients\s+with\s+)?[^,;()]{2,40}?)\s+(?:subgroup|population|cohort)\b"
)
# "In patients with PD-L1 CPS >=1, the HR was", "whereas in patients with a score <1 it was": a subgroup
# only when the population is set apart by a marker, a threshold or a count (not "In patients with melanoma, ...")
_SUBPOP_RE = re.compile(
    r"(?i)\b(?:in|among)[ \n]{1,2}(?:the[ \n]{1,2})?(?:patients|participants|tumou?rs|those|women|men|subjects|cases)"
    r"[ \n]{1,2}(?:with|whose|who\s+had)[ \n]{1,2}(?P<g>[^,;()]{2,60}?)"
    r"(?=[ \n]{0,2},|[ \n]{1,2}(?:the|it|HR|OR|RR|hazard|odds|pooled|median)\b)"
)
# every _SUBPOP_RE match begins with one of these (the second pair only where a line breaks)
_SUBPOP_FIRST = ("in ", "among ")
_SUBPOP_FIRST_NL = _SUBPOP_FIRST + ("in\n", "among\n")
# "0.91 (95% CI ...) for PD-L1 <1%": a trailing label that names a biomarker level
_SUB_AFTER_RE = re.compile(r"[)\]]?[ \n,]{1,3}for[ \n]{1,3}(?P<g>[^,;()]{2,40}?)(?=[ \n]{0,2}[(;,.)]|$)")
_MARKER_RE = re.compile(
    r"(?i)[<>=\u2264\u2265%]|(?<![\w-])\d|\b(?:positive|negative|mutant|mutat\w*|wild[- ]type|high|low|amplifi\w*|deficient|proficient)\b"
)
_STRONG_MARKER_RE = re.compile(
    r"(?i)[<>\u2264\u2265%]|\b(?:positive|negative|mutant|mutat\w*|wild[- ]type|express\w*|PD-?L1|amplifi\w*|deficient|proficient)\b"
)
_ANALYSIS_RE = re.compile(
    r"(?i)\b(?:at|in|for|during)[ \n]{1,2}(?:the[ \n]{1,2})?(?:(?:time|point)[ \n]of[ \n](?:the[ \n])?)?"
    r"(?:(?:prespecified|pre-specified|planned|first|second|primary|updated)[ \n]{1,2})?"
    r"(?P<k>interim|final|univariat\w*|univariable|multivariat\w*|multivariable)[ \n]{1,2}(?:Cox[ \n]{1,2})?(?:regression[ \n]{1,2})?analys[ie]s"
)
_ADJ_BETWEEN_RE = re.compile(r"(?i)adjust|RPSFT|rank-preserving|IPCW|inverse[- ]probability")
_CROSSOVER_RE = re.compile(r"(?i)cross-?over|switch|RPSFT|rank-preserving|IPCW")


def _subgroup_label(text: str, r, s_start: int, prev_end: int, group_sub: dict,
                    low: Optional[str] = None) -> Optional[str]:
    """The subgroup a ratio is restricted to, as "PD-L1 CPS >= 1", or None (the whole population).

    ``low`` is ``text.lower()`` when that is safe for literal pre-checks (see ``has_odd_folds``).
    """
    # (conditional expressions, not max(): a builtin call costs ~20 times as much; positions are ints)
    lo = (s_start if s_start > prev_end else prev_end) if r.index_in_group > 0 else s_start
    hit = None
    vs = r.value_start
    if low is None:
        for m in _SUBPOP_RE.finditer(text, lo, vs):
            hit = m
    # every _SUBPOP_RE match holds "with" or "who" (whose, who had), and begins with "in" or "among"
    # and a space or line break: without the first no scan, else only the positions of the second are tried
    # (``in`` on one slice of the range: cheaper than ranged finds, which parse their arguments each call;
    # low and text hold their line breaks at the same places)
    elif "with" in (seg := low[lo:vs]) or "who" in seg:
        # (most sentences hold no line break: then two finds instead of four)
        words = _SUBPOP_FIRST_NL if "\n" in seg else _SUBPOP_FIRST
        for m in matches_at(_SUBPOP_RE, text, literal_starts(low, words, lo, vs), vs):
            hit = m
    if hit is not None and _MARKER_RE.search(hit.group("g")) \
            and not _CLAUSE_END_RE.search(text, hit.end(), r.mention_start if r.index_in_group == 0 else r.value_start) \
            and text.find(hit.group("g").strip(), 0, s_start) == -1:
        # (a population the text described before, "... in patients with EGFR-mutant NSCLC", is the whole one)
        return _clean_sub(hit.group("g"))
    after = r.ci.end if r.ci is not None else r.value_end
    # a match holds "for" within its first 7 characters (at most 1 bracket and 3 separators before it, and
    # the 3 letters): a find rules most ratios out before re is called
    am = _SUB_AFTER_RE.match(text, after) if "for" in text[after:after + 7] else None
    if am and _STRONG_MARKER_RE.search(am.group("g")):
        return _clean_sub(am.group("g"))
    return group_sub.get(r.group) if r.index_in_group > 0 else None


_CLAUSE_END_RE = re.compile(r";|\.[ \n]")


_SPACES_RE = re.compile(r"\s+")
# a credible interval (Bayesian analyses) rather than a confidence interval
_CREDIBLE_RE = re.compile(r"(?i)credible|CrI")


def _clean_sub(g: str) -> str:
    g = _SPACES_RE.sub(" ", g).strip()
    return g.replace("\u2265", ">=").replace("\u2264", "<=")


_WHOLE_RE = re.compile(r"(?i)(?:the\s+)?(?:overall|whole|entire|total|all|intention|itt|study|trial|safety|per-protocol|matched|propensity)")

# a non-randomised study that still sets one treatment against another
_COMPARE_RE = re.compile(r"(?i)\b(?:versus|vs\.?|compared\s+(?:with|to))\s")

# arm names that only say an arm's role
_ROLE_NAMES = frozenset(("control", "experimental", "intervention", "investigational", "comparator", "active", "treatment",
                         "study", "usual care", "standard", "standard care", "standard of care"))

_META_KEYS = ("id", "title", "journal", "year", "doi", "pmid", "trials", "publication_types", "mesh_terms",
              "source", "format")
# the document's values of _META_KEYS, read in C
_meta_values = operator.attrgetter(*_META_KEYS)


def _document(doc_or_text: Union[Document, str], doc_id: Optional[str]) -> Document:
    if isinstance(doc_or_text, Document):
        return doc_or_text
    if isinstance(doc_or_text, str):
        return Document.build(id=doc_id or "text", text=doc_or_text)
    raise ExtractionError(
        f"extract(): expected a metabolero.records.Document or a str, got {type(doc_or_text).__name__}"
    )


def _readable_text(doc: Document) -> str:
    """Normalised text with skipped sections blanked (same length, so offsets hold)."""
    norm = normalize(doc.text)
    if not doc.sections:
        return norm
    chars = list(norm)
    for s in doc.sections:
        if _SKIP_SECTIONS.match(s.name.strip()):
            a, b = max(0, s.start), min(len(chars), s.end)
            chars[a:b] = " " * (b - a)
    return "".join(chars)


# ("GC plus tinarafib 300 mg" is another arm than "GC plus tinarafib 150 mg": a dose the other name lacks)
_DIGITS_RE = re.compile(r"\d+(?:\.\d+)?")


def _hours_to_days(x: Optional[float]) -> Optional[float]:
    """Hours as days, rounded to 4 decimals (84 h -> 3.5 d), or None."""
    return None if x is None else round(x / 24, 4)


def extract(doc_or_text: Union[Document, str], doc_id: Optional[str] = None) -> Extraction:
    """Return the ``Extraction`` of a Document or text: ratios, medians (with spans), study facts, flags."""
    # (records are made with ``Record.build(...)``, the same as ``Record(...)`` but a cheaper call)
    doc = _document(doc_or_text, doc_id)
    if not isinstance(doc.text, str):
        raise ExtractionError(f"document {doc.id!r}: text must be a str, got {type(doc.text).__name__}")
    # (the same text; endpoint wordings include the abbreviations it defines, "time to first subsequent therapy (TFST)")
    text = with_defined_abbreviations(_readable_text(doc))
    sents = Sentences(text)
    # lower-cased once here, not again by each study-level finder; str.lower() neither makes nor
    # removes "\n", so lowering and flattening commute: low_flat == flat.lower() (text.lower(), by a cheaper
    # route for a non-ASCII text)
    low_text = lower(text)
    primary = primary_endpoint(text, low_text)
    # study-level wording is matched on one line ("of\nwhom" is "of whom"); same offsets
    flat = text.replace("\n", " ")
    low_flat = low_text.replace("\n", " ")
    meta = is_meta(flat, low_flat)
    # three study finders start from the places of "random": found once
    random_at = literal_starts(low_flat, ("random",))
    randomized = is_randomized(flat, meta, low_flat, random_at)

    # ---- study design
    design_arms = find_design_arms(flat, low_flat, random_at)
    hints = role_hints(flat, design_arms, low_flat)
    if len(design_arms) == 2:
        # "the hazard ratio ... for the X group" may correct roles the design sentence gave by position
        design_arms = hints[:2]
    n_rand, n_span = find_n_randomized(flat, sents, meta, low_flat)
    trials, ncts = find_trials(flat)
    for t in doc.trials:
        if t.upper().startswith("NCT"):
            if t not in ncts:
                ncts.append(t)
        elif t not in trials:
            trials.append(t)

    # ---- ratios
    raws = find_ratios(text, sents)
    endpoints = ratio_endpoints(text, sents, raws, primary)
    exp_arm = ctl_arm = None
    if len(design_arms) == 2:
        exp_arm, ctl_arm = design_arms[0][0], design_arms[1][0]

    # ---- medians (numbers inside ratio spans are not medians)
    spans = [(r.start, r.end) for r in raws]  # (a list comprehension: a generator costs more to set up)
    spans.sort()
    starts = [a for a, _ in spans]

    def masked(pos: int) -> bool:
        i = bisect.bisect_right(starts, pos) - 1
        return i >= 0 and spans[i][0] <= pos < spans[i][1]

    # arm roles only where the study compares treatments it assigned
    # the lower-cased text serves literal pre-checks unless case folding could shift or miss a match
    odd_folds = has_odd_folds(text)
    comparative = randomized is True or len(design_arms) >= 2 or _compares(text, low_text, odd_folds)
    raw_meds = find_medians(text, sents, masked, hints, comparative, len(design_arms))
    # every value's Span quotes the document's own text (spans are built inline: a helper call per span
    # cost more than the Span itself)
    src_id, src_text = doc.id, doc.text
    medians = []
    for rm in raw_meds:
        v = rm.value
        a, b, tail = rm.span_start, rm.span_end, v.tail
        if tail > b:
            b = tail
        if v.unit == "hours":
            # SCHEMA.md's units stop at days: the value is derived (hours / 24), and its flag says so
            medians.append(Median.build(
                endpoint=rm.endpoint, value=_hours_to_days(v.value), unit="days", not_reached=v.not_reached,
                arm=rm.arm, arm_role=rm.role, ci_low=_hours_to_days(v.ci_lo), ci_high=_hours_to_days(v.ci_hi),
                qualifier=rm.qualifier, span=Span.build(src_id, a, b, src_text[a:b]),
                flags=(Flag("converted_from_hours", f"reported as {v.value:g} hours; value and CI divided by 24 to give "
                                                    "days", _hours_to_days(v.value)),),
            ))
            continue
        medians.append(Median.build(
            endpoint=rm.endpoint, value=v.value, unit=v.unit, not_reached=v.not_reached,
            arm=rm.arm, arm_role=rm.role, ci_low=v.ci_lo, ci_high=v.ci_hi, qualifier=rm.qualifier,
            span=Span.build(src_id, a, b, src_text[a:b]),
        ))

    # ---- arms: design arms, then the arms medians were reported for (before the ratios, which name them)
    arms: list[Arm] = []
    seen = set()
    for name, role in design_arms:
        if name.lower() not in seen:
            seen.add(name.lower())
            arms.append(Arm.build(name=name, role=role))
    # the labels the design gives its arms ("(arm A)"): a median's "arm A" is that design arm, not another
    labels = {n.lower() for n, _r in hints[len(design_arms):] if ARM_LABEL_RE.match(n)} \
        if design_arms and len(hints) > len(design_arms) else ()
    for m in medians:
        if m.arm and m.arm_role and m.arm.lower() not in seen:
            low = m.arm.lower()
            seen.add(low)
            if low in labels or low + " group" in labels or low + " arm" in labels:
                # ("triplet" is the design's "(triplet group)")
                continue
            if "\n" in low:
                # "expectant\nmanagement" is the design's "expectant management"
                low = low.replace("\n", " ")
                if low in seen:
                    continue
            # "bevacizumab" is the design's "FOLFOX plus bevacizumab", not another arm; nor is "the control group"
            # when the design names its control
            if any(a.role == m.arm_role and (low in _ROLE_NAMES or _whole_words(a.name.lower(), low)
                                             or _whole_words(low, a.name.lower())
                                             or (drug_words(low) and drug_words(low) <= drug_words(a.name.lower())
                                                 and set(_DIGITS_RE.findall(low)) <= set(_DIGITS_RE.findall(a.name))))
                   for a in arms):
                # ("cerpatinib + lomustine" is the design's "cerpatinib 200 mg BID plus lomustine 90 mg/m2")
                continue
            arms.append(Arm.build(name=m.arm, role=m.arm_role))

    # ratios name the two arms when the document has exactly one of each role
    if exp_arm is None:
        exps = [a.name for a in arms if a.role == "experimental"]
        ctls = [a.name for a in arms if a.role == "control"]
        if len(exps) == 1 and len(ctls) == 1:
            exp_arm, ctl_arm = exps[0], ctls[0]

    by_endpoint: dict = {}
    for m in medians:
        by_endpoint.setdefault(m.endpoint, []).append(m)
    ratios = []
    prev_end = 0
    group_sub: dict = {}
    low_safe = None if odd_folds else low_text
    sent_starts = sents.starts
    two_stages = None  # worked out at its first use (most documents never ask)
    for r, ep in zip(raws, endpoints):
        ms = r.mention_start
        # the start of the sentence holding ms (Sentences.bounds inlined: its end is not needed)
        s_start = sent_starts[bisect.bisect_right(sent_starts, ms) - 1]
        # (ints: conditional expressions instead of max() calls, which cost ~20 times as much)
        if ms - 400 > s_start:
            s_start = ms - 400
        bits = []
        q = _qualifier(text, s_start if s_start > prev_end else prev_end, r.value_start, r.end)
        if q:
            bits.append(q)
        if r.hint:
            bits.append(r.hint)
        head = text[s_start:ms]
        if r.index_in_group > 0 and bits and bits[-1] == r.hint and r.hint and "unadjusted" in r.hint \
                and _ADJ_BETWEEN_RE.search(text, prev_end, r.value_start):
            # "The unadjusted HR was 0.98 (...); after RPSFT adjustment for crossover it was 0.62 (...)"
            bits[-1] = "crossover-adjusted" if _CROSSOVER_RE.search(text, prev_end, r.value_start) else "adjusted"
        sub = _SUBGROUP_RE.search(head) if ("ubgroup" in head or "opulation" in head or "ohort" in head) else None
        if sub and not _WHOLE_RE.match(sub.group("g")):
            bits.append("subgroup: " + _SPACES_RE.sub(" ", sub.group("g")).strip())
        else:
            g = _subgroup_label(text, r, s_start, prev_end, group_sub, low_safe)
            group_sub[r.group] = g if r.index_in_group == 0 else group_sub.get(r.group)
            if g:
                bits.append("subgroup: " + g)
        an = _ANALYSIS_RE.search(head) if "nalys" in head else None
        if an:
            k = an.group("k").lower()
            if k.startswith("univ"):
                bits.append("univariate")
            elif k.startswith("multiv"):
                bits.append("adjusted")
            else:
                if two_stages is None:
                    two_stages = "interim analys" in low_text and ("final analys" in low_text
                                                                   or "updated analys" in low_text)
                if two_stages:
                    # interim vs final only matters where the text reports both (the seed reports one)
                    bits.append(k + " analysis")
        ci, p = r.ci, r.p
        if p is not None and p.one_sided:
            bits.append("one-sided p")
        if meta:
            bits.append("pooled")
        # every match holds "cr" in some case (c and r have no odd case folds)
        if ci is not None and "cr" in text[ci.start:ci.end].lower() and _CREDIBLE_RE.search(text, ci.start, ci.end):
            bits.append("credible interval")
        prev_end = r.end
        if ci is not None:
            ci_lo, ci_hi, level = ci.lo, ci.hi, ci.level
        else:
            ci_lo = ci_hi = None
            level = 95
        p_value, p_rel = (p.value, p.relation) if p is not None else (None, None)
        # the quote runs to the p-value when one stated after several ratios is theirs ("(all p<0.01)")
        end = p.end if p is not None and p.end > r.end else r.end
        qualifier = "; ".join(dict.fromkeys(bits)) if bits else None  # (most ratios have none)
        # the consistency flags are worked out from the fields, so each Ratio is built once
        flags = ratio_flags(r.measure, ep, r.value, ci_lo, ci_hi, level, p_value, p_rel, qualifier,
                            by_endpoint.get(ep, ()))
        ratios.append(Ratio.build(
            measure=r.measure, endpoint=ep, value=r.value, ci_low=ci_lo, ci_high=ci_hi, ci_level=level,
            p_value=p_value, p_relation=p_rel, qualifier=qualifier,
            experimental_arm=exp_arm, control_arm=ctl_arm,
            span=Span.build(src_id, r.start, end, src_text[r.start:end]), flags=tuple(flags),
            method="reported",
        ))

    study_spans = []
    if n_span:
        a, b = n_span
        study_spans.append(Span.build(src_id, a, b, src_text[a:b]))
    study = Study.build(
        trials=tuple(trials), nct_ids=tuple(ncts), phase=find_phase(flat, low_flat), randomized=randomized,
        n_randomized=n_rand, allocation_ratio=find_allocation(flat, low_flat, random_at), arms=tuple(arms),
        spans=tuple(study_spans),
    )
    return Extraction.build(
        id=doc.id, ratios=tuple(ratios), medians=tuple(medians), study=study,
        document=dict(zip(_META_KEYS, _meta_values(doc))), flags=(),
        extractor_version=EXTRACTOR_VERSION,
    )


def _compares(text: str, low: Optional[str] = None, odd_folds: Optional[bool] = None) -> bool:
    """True when the text sets one treatment against another ("versus", "vs", "compared with").

    ``odd_folds``: ``has_odd_folds(text)`` if the caller knows it.
    """
    if has_odd_folds(text) if odd_folds is None else odd_folds:
        return bool(_COMPARE_RE.search(text))
    # every match begins with one of these words: only their positions are tried, and the first position
    # that matches answers (only whether the text holds a match is asked, not where the first one is)
    low = text.lower() if low is None else low
    match = _COMPARE_RE.match
    for w in ("vs", "versus", "compared"):
        i = low.find(w)
        while i != -1:
            if match(text, i):
                return True
            i = low.find(w, i + 1)
    return False


__all__ = ["extract", "EXTRACTOR_VERSION"]
