"""Survival tables -> Ratio and Median records, with provenance (page, bbox, cell text).

The table comes from :mod:`metabolero.ingest.pdf` (a ``PdfTable``: ``header``, ``cells``,
``caption``, ``cell_offsets``, ``cell_pages``, ``cell_bboxes``); any object with ``header`` and
``cells`` (lists of strings) works, provenance then reduces to the cell text.

What a cell means comes from its context: the column header (plus the header-like rows above
the first row holding numbers), the row label (first cell), the last section row (a row with
only a label, e.g. "Progression-free survival") and the caption.

* ratio cells: ``0.72 (0.62–0.83)``, ``0.57 (0.45, 0.73)``, ``0.47 (95% CI: 0.34-0.65). p<0.001``,
  ``0.81 (0.70–0.93; P = 0.0033)``, or a bare value, in a column/row whose context names a
  hazard/odds/risk ratio; a cell with an explicit "95% CI" inside the brackets counts as a ratio
  when the table names exactly one kind of ratio. Separate CI columns (``95% CI`` / ``lower``,
  ``upper``) beside a ratio column are joined. p-values come from the cell or from a p-value
  column/row of the same row/column.
* median cells: in a "median" context, or cells that start with "Median": ``8.5``,
  ``8.5 (7.1–9.9)``, ``34.7 months (32.7–36.8)``, ``NR``/``NE``/``not reached`` (not_reached).
  Units from the cell, else from the context ("in months", "(mo)"); a median without a unit
  anywhere is skipped rather than guessed. "OS: 13.8 versus 11.1" gives two medians (the first
  group, then its comparator) when a unit is known.
* rows printed as one text cell (a table typeset as paragraphs): the same notations are
  searched in the row text, with "HR (P value)" headers reading ``0.74 (0.0046)`` as value and p.
* arms and roles: from the column header (``Drug (n=485)``, ``Median, months (95% CI) Placebo``),
  a "treatment in the control arm" column, the row label, or, in per-arm columns, the column
  whose ratio cell is a dash or "reference" (the comparator). Endpoints from the header, row
  label or section row; plain "survival" and "death" are OS, "progression or death" PFS.
* a header cell spanning two data columns ("PFS control vs experimental arm", trailing data
  under an empty header) is split in two.

Percentages, counts and ranges are not records.
"""
from __future__ import annotations

import dataclasses
import re
from typing import Any, Optional

from ..records import Median, Ratio, Span
from .endpoints import endpoint_of, find_endpoints

__all__ = ["records_from_table", "outside_tables"]


def outside_tables(records, document, table_records=None) -> list:
    """Return the text records that do not repeat a table's values.

    A PDF's Document carries its tables' text (for provenance); text extraction run over the
    whole text finds the table values again. With ``table_records`` (the records of
    :func:`records_from_table`) a text record inside a TABLE section is dropped when its span
    overlaps one of theirs, and kept otherwise (a footnote sentence such as "hazard ratio
    reduced to 0.8 on follow-up"); without them every text record inside a TABLE section is dropped.
    """
    spans = [(s.start, s.end) for s in getattr(document, "sections", ()) if s.name == "TABLE"]
    taken = None if table_records is None else [
        (t.span.start, t.span.end) for t in table_records if t.span is not None]

    def keep(r) -> bool:
        if r.span is None or not any(a <= r.span.start < b for a, b in spans):
            return True
        if taken is None:
            return False
        return not any(r.span.start < b and a < r.span.end for a, b in taken)

    return [r for r in records if keep(r)]

_NUM = r"(\d+(?:\.\d+)?|\.\d+)"
_SEP = r"\s*(?:-|–|—|‒|to|,|;)\s*"
_REL = r"(<=|>=|≤|≥|=|<|>)"
_P_INSIDE = rf"(?:\s*[;,]\s*[Pp](?:\s*-?\s*value)?\s*{_REL}\s*{_NUM})?"
_RATIO_RE = re.compile(
    rf"(?<![\d.]){_NUM}\s*[\(\[]\s*(95\s*%\s*CI\s*[:,]?\s*|CI\s*[:,]?\s*)?{_NUM}{_SEP}{_NUM}{_P_INSIDE}\s*[\)\]]"
    rf"(?:\s*[.,;]?\s*[Pp](?:\s*-?\s*values?)?\s*{_REL}\s*{_NUM})?")
_BARE_RE = re.compile(rf"^\s*{_NUM}\s*\*?\s*$")
_UNIT_WORDS = {"month": "months", "mo": "months", "mos": "months", "week": "weeks", "wk": "weeks",
               "day": "days", "d": "days", "year": "years", "yr": "years", "y": "years"}
_UNIT = r"(months?|mos?|weeks?|wks?|days?|years?|yrs?)\b"
_MEDIAN_RE = re.compile(
    rf"(?<![\d.])(?:median\s*:?\s*)?(?:{_NUM}|(NR|NE|NA|not\s+reached|not\s+estimable|not\s+evaluable))"
    rf"(?:\s*{_UNIT})?(?:\s*[\(\[]\s*(?:95\s*%\s*CI\s*[:,]?\s*)?(?:{_NUM}|NR|NE){_SEP}(?:{_NUM}|NR|NE|not\s+reached)\s*[\)\]])?",
    re.I)
_PVAL_RE = re.compile(rf"^\s*[Pp]?\s*{_REL}?\s*{_NUM}\s*$")

_MEASURES = [
    ("HR", re.compile(r"hazard\s*s?\s*ratio|\bHRs?\b", re.I)),
    ("OR", re.compile(r"odds\s*ratio|\bORs?\b(?!\s*R)", re.I)),
    ("RR", re.compile(r"risk\s*ratio|relative\s*risk|rate\s*ratio|\bRRs?\b|incidence\s*rate\s*ratio|\bIRR\b", re.I)),
]
# Table row labels and headers are coded with the abstract lexicon (extract.endpoints); a
# table's short labels add only these fallbacks, tried when the lexicon names nothing
_LABEL_FALLBACKS = [
    ("OTHER", re.compile(r"time to (first )?response", re.I)),
    ("RESPONSE", re.compile(r"\bresponse\b|\bORR\b", re.I)),
    ("OS", re.compile(r"\b(death|all[\s-]*cause mortality)\b", re.I)),
    ("OS", re.compile(r"\bsurvival\b", re.I)),   # plain "survival" in a survival table is OS
]
_CONTROL_RE = re.compile(r"\b(control|placebo|comparator|standard|chemotherapy alone)\b", re.I)
_EXPER_RE = re.compile(r"\b(exp|experimental|treatment|intervention|investigational)", re.I)


def _f(x: Optional[str]) -> Optional[float]:
    if x is None:
        return None
    return float(x)


def _measures_in(text: str) -> list[str]:
    return [m for m, rx in _MEASURES if rx.search(text)]


def _endpoint(*texts: str) -> Optional[str]:
    for t in texts:
        if not t:
            continue
        code = endpoint_of(t)
        if code is not None:
            return code
        for code, rx in _LABEL_FALLBACKS:
            if rx.search(t):
                return code
    return None


def _unit(*texts: str) -> Optional[str]:
    for t in texts:
        if not t:
            continue
        m = re.search(_UNIT, t, re.I) or re.search(r"\((mo|months?|wk|weeks?|d|days?|y|yr|years?)\)", t, re.I)
        if m:
            w = m.group(1).lower().rstrip("s") if m.group(1).lower() not in ("mos",) else "mo"
            return _UNIT_WORDS.get(w, _UNIT_WORDS.get(w.rstrip("s")))
    return None


def _role(text: str) -> Optional[str]:
    c, e = bool(_CONTROL_RE.search(text)), bool(_EXPER_RE.search(text))
    if c and e and not re.search(r"\b(exp|experimental|investigational|intervention)", text, re.I):
        e = False  # "treatment in the control arm": 'treatment' alone names no group
    if c and not e:
        return "control"
    if e and not c:
        return "experimental"
    return None


def _is_data_row(row: list[str]) -> bool:
    return any(_RATIO_RE.search(c) or re.search(rf"{_NUM}\s*{_UNIT}", c, re.I) or
               re.match(rf"^\s*(median\s*:?\s*)?{_NUM}\s*(\(|$)", c, re.I) for c in row[1:] if c) or \
        any(_RATIO_RE.search(c) or _VERSUS_RE.search(c) or _RATIO_P_RE.search(c) for c in row[:1])


def _span(table, doc_id: str, r: int, c: int, sub: Optional[tuple[int, int]] = None) -> Span:
    cell = table.cells[r][c]
    offs = getattr(table, "cell_offsets", {}) or {}
    a, b = sub if sub else (0, len(cell))
    quote = cell[a:b]
    start = end = 0
    if (r, c) in offs:
        start = offs[(r, c)][0] + a
        end = start + len(quote)
    pages = getattr(table, "cell_pages", None)
    boxes = getattr(table, "cell_bboxes", None)
    page = pages[r][c] if pages and r < len(pages) and c < len(pages[r]) else getattr(table, "page", None)
    bbox = boxes[r][c] if boxes and r < len(boxes) and c < len(boxes[r]) else None
    if bbox is None:
        bbox = getattr(table, "bbox", None)
    return Span(doc_id, start, end, quote, page=page, bbox=tuple(bbox) if bbox else None)


def _p_of(m: re.Match, rel_i: int, num_i: int) -> tuple[Optional[float], Optional[str]]:
    rel, num = m.group(rel_i), m.group(num_i)
    if num is None:
        return None, None
    rel = {"≤": "<=", "≥": ">="}.get(rel or "=", rel or "=")
    return float(num), rel


def records_from_table(table: Any, doc_id: str) -> tuple[list[Ratio], list[Median]]:
    """Return (ratios, medians) read from a results table, each with a Span (page, bbox, cell quote).

    Values are on the ratio scale and in the units printed (months, weeks, days, years).
    """
    header = [h or "" for h in table.header]
    rows = [list(r) + [""] * (len(header) - len(r)) for r in table.cells]
    ncols = max([len(header)] + [len(r) for r in rows]) if rows else len(header)
    header = header + [""] * (ncols - len(header))
    rows = [r + [""] * (ncols - len(r)) for r in rows]
    caption = getattr(table, "caption", None) or ""
    header = _split_spanning_headers(header, rows)
    # header-like rows above the first data row extend the column headers
    col_ctx = list(header)
    first_data = 0
    first_section = ""
    for r, row in enumerate(rows):
        if _is_data_row(row):
            break
        first_data = r + 1
        if row[0] and not any(row[1:]) and ncols > 1:
            first_section = row[0]  # a section row right under the header ("Progression-free survival")
            continue
        for c, cell in enumerate(row):
            col_ctx[c] = (col_ctx[c] + " " + cell).strip()
    all_text = " ".join([caption] + col_ctx + [r[0] for r in rows])
    table_measures = _measures_in(all_text)
    # a ratio's endpoint is never follow-up; fall back to the table's endpoint only if it names one
    named = {code for _s, _e, code in find_endpoints(caption + " " + " ".join(col_ctx)) if code != "FOLLOWUP"}
    table_endpoint = next(iter(named)) if len(named) == 1 else None
    # a unit named anywhere in the header could belong to another column ("year of publication")
    table_unit = _unit(caption)
    single_col = ncols == 1 or all(not any(r[1:]) for r in rows)

    ratios: list[Ratio] = []
    medians: list[Median] = []
    section = first_section
    # p-value rows / columns
    p_row_idx = [i for i, r in enumerate(rows) if re.match(r"^\s*p[\s-]*values?\b|^\s*p\b", r[0], re.I)]
    p_col_idx = [c for c, h in enumerate(col_ctx) if re.match(r"^\s*p[\s-]*values?\b|^\s*p\s*$", h, re.I)]
    # separate CI columns: headed "95% CI", "Lower 95% CI", "Upper limit" (not "Median (95% CI)")
    ci_cols = [c for c, h in enumerate(col_ctx)
               if re.match(r"^\s*((lower|upper)\b|(95\s*%\s*)?(CI|confidence))", h, re.I)
               and not _measures_in(h) and not re.search(r"\bmedian\b", h, re.I)]

    ref_cols: set[int] = set()
    ratio_cols: set[int] = set()
    ratio_col_of: list[Optional[int]] = []
    for r, row in enumerate(rows):
        if r < first_data:
            continue
        label = row[0] if not single_col else ""
        if label and not any(row[1:]):
            section = label  # a section row such as "Progression-free survival"
            continue
        row_measures = _measures_in(label)
        row_is_median = bool(re.search(r"\bmedian\b", label, re.I))
        if single_col:
            n_r, got_m = len(ratios), []
            _scan_text_cell(table, doc_id, r, row[0], col_ctx[0], caption, table_measures, table_endpoint,
                            table_unit, ratios, got_m)
            ratio_col_of.extend([None] * (len(ratios) - n_r))
            medians.extend((None, m) for m in got_m)
            continue
        row_medians: list[tuple[int, Median]] = []
        for c in range(1 if label else 0, ncols):
            cell = row[c].strip()
            if not cell or c in p_col_idx or c in ci_cols:
                continue
            ctx = col_ctx[c]
            col_measures = _measures_in(ctx)
            # a ratio column wins over a "median" row label, a ratio row over a "median" column
            is_median_ctx = (row_is_median and not col_measures) or (
                bool(re.search(r"\bmedian\b", ctx, re.I)) and not row_measures)
            if re.match(r"^\s*median\b", cell, re.I):
                is_median_ctx = True
            measures = [] if is_median_ctx else (col_measures or row_measures)
            endpoint = _endpoint(label if not row_is_median else "", section, ctx) or table_endpoint
            if row_is_median:
                endpoint = _endpoint(section, label, ctx) or table_endpoint
            if measures and not is_median_ctx:
                rec = _ratio_from_cell(table, doc_id, r, c, cell, measures[0], endpoint, row, p_row_idx, p_col_idx,
                                       ci_cols, rows, label)
                if rec is not None:
                    ratios.append(rec)
                    ratio_col_of.append(c)
                    if row_measures:
                        ratio_cols.add(c)
                continue
            if is_median_ctx:
                m = _median_from_cell(table, doc_id, r, c, cell, endpoint, _unit(cell, label, ctx, section) or table_unit,
                                      ctx, label)
                if m is not None and m.arm is None and m.arm_role is None and label and _arm_name(label):
                    m = dataclasses.replace(m, arm=_arm_name(label), arm_role=_role(label), qualifier=None)
                if m is not None and m.arm is None and m.arm_role is not None:
                    # the arm's name from a "treatment in the control arm" column of the same row
                    for k, h in enumerate(col_ctx):
                        if k != c and row[k] and _role(h) == m.arm_role and re.search(
                                r"\b(treatment|regimen|drug|arm)\b", h, re.I) and not re.search(r"\bmedian\b", h, re.I):
                            name = re.sub(r"\s*\(\s*n?\s*=?\s*\d+\s*\)\s*$", "", row[k]).strip()
                            m = dataclasses.replace(m, arm=name or None)
                            break
                if m is not None:
                    row_medians.append((c, m))
                continue
            if len(table_measures) == 1 and re.search(r"[\(\[]\s*95\s*%\s*CI", cell, re.I):
                rec = _ratio_from_cell(table, doc_id, r, c, cell, table_measures[0], endpoint, row, p_row_idx,
                                       p_col_idx, ci_cols, rows, label)
                if rec is not None:
                    ratios.append(rec)
                    ratio_col_of.append(c)
        medians.extend(row_medians)
        if row_measures:
            for c in range(1, ncols):
                cell = row[c].strip()
                if re.fullmatch(r"[-–—]?|ref(erence)?\.?|1(\.0+)?\s*(\(ref(erence)?\.?\))?", cell, re.I):
                    ref_cols.add(c)
    # per-arm columns: the column whose ratio cell is a dash or "reference" is the comparator
    ref_cols -= ratio_cols
    if len(ref_cols) == 1 and ratio_cols:
        (ref,) = ref_cols
        names = {c: _arm_name(col_ctx[c]) for c in ratio_cols | ref_cols}
        medians = [(c, dataclasses.replace(m, arm_role="control" if c == ref else "experimental"))
                   if m.arm_role is None and c in names else (c, m) for c, m in medians]
        ratios = [dataclasses.replace(r, control_arm=r.control_arm or names[ref],
                                      experimental_arm=r.experimental_arm or names.get(c))
                  if c in ratio_cols else r for r, c in zip(ratios, ratio_col_of)]
    return ratios, [m for _, m in medians]


def _split_spanning_headers(header: list[str], rows: list[list[str]]) -> list[str]:
    """Undo a header cell spanning two data columns ("PFS control vs experimental arm").

    When the rows carry data in k trailing columns whose header is empty, and header cells
    compare two groups with "vs", each such cell (left to right, k at most) becomes two:
    the words before "vs" and the shared leading words plus the words after it.
    """
    k = 0
    for j in range(len(header) - 1, -1, -1):
        if header[j].strip():
            break
        if any(r[j].strip() for r in rows):
            k += 1
    if k == 0:
        return header
    out = []
    for h in header:
        parts = re.split(r"\s+(?:vs\.?|versus)\s+", h, maxsplit=1)
        if k > 0 and len(parts) == 2 and h.strip():
            left, right = parts
            lead = re.match(r"^(.*?)(?=\b(?:control|placebo|exp|experimental|treatment|intervention)\b)", left, re.I)
            prefix = lead.group(1).strip() if lead else ""
            out.extend([left.strip(), f"{prefix} {right}".strip()])
            k -= 1
        else:
            out.append(h)
    # drop as many empty trailing header cells as were inserted
    extra = len(out) - len(header)
    while extra > 0 and out and not out[-1].strip():
        out.pop()
        extra -= 1
    return out + [""] * (len(header) - len(out))


def _arm_name(ctx: str) -> Optional[str]:
    """The group named by a column header or row label, without sizes and "Median, months (95% CI)"."""
    name = re.sub(r"\(?\bn\s*=\s*\d+\)?", "", ctx)
    name = re.sub(r"(?i)\bmedian\b[\s,:]*(\(?\s*(months?|weeks?|days?|years?|mo)\s*\)?)?[\s,:]*"
                  r"(\(\s*95\s*%\s*CI\s*\))?", "", name)
    name = name.strip(" ,;:")
    if not name or re.search(r"\b(median|hazard|ratio|follow|survival|endpoint)\b", name, re.I) or _endpoint(name):
        return None
    return name


def _median_from_cell(table, doc_id, r, c, cell, endpoint, unit, ctx, label) -> Optional[Median]:
    if re.search(r"%", cell.split("(")[0]):
        return None
    m = _MEDIAN_RE.search(cell)
    if not m or (m.group(1) is None and m.group(2) is None):
        return None
    nr_word = m.group(2)
    if nr_word and nr_word.upper() == "NA":
        return None
    unit = (_unit(m.group(3)) if m.group(3) else None) or unit
    if unit is None and not nr_word:
        return None
    value = None if nr_word else float(m.group(1))
    ci_low, ci_high = _f(m.group(4)), _f(m.group(5))
    if "range" in cell.lower() or "iqr" in cell.lower():
        ci_low = ci_high = None
    role = _role(ctx)
    arm = _arm_name(ctx)
    return Median(endpoint=endpoint or "OTHER", value=value, unit=unit if not nr_word else unit, not_reached=bool(nr_word),
                  arm=arm, arm_role=role, ci_low=ci_low, ci_high=ci_high,
                  qualifier=label or None, span=_span(table, doc_id, r, c, (m.start(), m.end())))


def _ratio_from_cell(table, doc_id, r, c, cell, measure, endpoint, row, p_row_idx, p_col_idx, ci_cols, rows,
                     label) -> Optional[Ratio]:
    m = _RATIO_RE.search(cell)
    p_value = p_rel = None
    if m:
        value, lo, hi = float(m.group(1)), float(m.group(3)), float(m.group(4))
        p_value, p_rel = _p_of(m, 5, 6)
        if p_value is None:
            p_value, p_rel = _p_of(m, 7, 8)
        sub = (m.start(), m.end())
    else:
        b = _BARE_RE.match(cell)
        if not b:
            return None
        value, lo, hi = float(b.group(1)), None, None
        sub = None
        # separate CI columns to the right of the ratio column
        vals = []
        for k in ci_cols:
            if k > c:
                mm = re.findall(_NUM, rows[r][k])
                vals.extend(float(v) for v in mm)
        if len(vals) >= 2:
            lo, hi = vals[0], vals[1]
    if not (0 < value < 100) or (lo is not None and hi is not None and not (lo <= value <= hi)):
        return None
    if p_value is None:
        for k in p_col_idx:
            pm = _PVAL_RE.match(rows[r][k])
            if pm:
                p_value, p_rel = float(pm.group(2)), {"≤": "<=", "≥": ">="}.get(pm.group(1) or "=", pm.group(1) or "=")
        for i in p_row_idx:
            pm = _PVAL_RE.match(rows[i][c])
            if pm:
                p_value, p_rel = float(pm.group(2)), {"≤": "<=", "≥": ">="}.get(pm.group(1) or "=", pm.group(1) or "=")
    return Ratio(measure=measure, endpoint=endpoint or "OTHER", value=value, ci_low=lo, ci_high=hi,
                 p_value=p_value, p_relation=p_rel, qualifier=label or None,
                 span=_span(table, doc_id, r, c, sub), method="reported")


_EP_CODES = "|".join(["OS", "PFS", "DFS", "EFS", "RFS", "TTP", "TTF", "DOR", "MFS", "DMFS", "CSS", "iDFS", "PFS2"])
_VERSUS_RE = re.compile(
    rf"(?<![A-Za-z])({_EP_CODES})\s*[:=]\s*{_NUM}(?:\s*{_UNIT})?\s*(?:versus|vs\.?|v)\s*{_NUM}(?:\s*{_UNIT})?")
_RATIO_P_RE = re.compile(rf"(?<![\d.])(\d*\.\d+)\s*\(\s*{_REL}?\s*(0?\.\d+)\s*\)")


def _versus_medians(table, doc_id, r, c, text, unit_ctx, used) -> list[Median]:
    """Medians printed as "OS: 13.8 versus 11.1" (first group, then its comparator), unit from the
    numbers or from the header ("(in months)"); none when no unit is known."""
    out = []
    for m in _VERSUS_RE.finditer(text):
        unit = _unit(m.group(3) or "") or _unit(m.group(5) or "") or _unit(unit_ctx)
        if unit is None:
            continue
        used.append((m.start(), m.end()))
        span = _span(table, doc_id, r, c, (m.start(), m.end()))
        for val, role in ((m.group(2), "experimental"), (m.group(4), "control")):
            out.append(Median(endpoint=m.group(1) if m.group(1) != "iDFS" else "iDFS", value=float(val), unit=unit,
                              arm_role=role, span=span))
    return out


def _ratios_with_p(table, doc_id, r, c, text, measure, endpoint, used) -> list[Ratio]:
    """Ratios printed as "0.74 (0.0046)" under a header such as "HR for death (P value)"."""
    out = []
    for m in _RATIO_P_RE.finditer(text):
        if any(a <= m.start() < b for a, b in used):
            continue
        rel = {"≤": "<=", "≥": ">="}.get(m.group(2) or "=", m.group(2) or "=")
        used.append((m.start(), m.end()))
        out.append(Ratio(measure=measure, endpoint=endpoint or "OTHER", value=float(m.group(1)),
                         p_value=float(m.group(3)), p_relation=rel,
                         span=_span(table, doc_id, r, c, (m.start(), m.end())), method="reported"))
    return out


def _header_gives_p(ctx: str) -> bool:
    """A header like "HR (P value)" or "Hazard ratio (p)": the bracket holds a p-value, not a CI."""
    return bool(re.search(r"(hazard\s*ratio|\bHR\b|odds\s*ratio|\bOR\b|\bRR\b|risk\s*ratio)[^()]{0,30}"
                          r"\(\s*p(\s*-?\s*values?)?\s*\)", ctx, re.I))


def _scan_text_cell(table, doc_id, r, text, ctx, caption, measures, endpoint, unit, ratios, medians):
    """A row printed as one text cell: find ratio and median patterns in it."""
    if not text:
        return
    used: list[tuple[int, int]] = []
    medians.extend(_versus_medians(table, doc_id, r, 0, text, ctx + " " + caption, used))
    if len(measures) == 1 and _header_gives_p(ctx):
        ep = _endpoint(ctx[re.search(r"hazard|\bHR\b|odds|\bOR\b|\bRR\b|risk", ctx, re.I).start():][:60])
        ratios.extend(_ratios_with_p(table, doc_id, r, 0, text, measures[0], ep or endpoint, used))
    median_ctx = re.search(r"\bmedian\b", ctx + " " + caption, re.I)
    med_endpoint = None
    if median_ctx:
        after = (ctx + " " + caption)[median_ctx.start():]
        med_endpoint = _endpoint(after[:80])
    for m in re.finditer(rf"(?<![\d.]){_NUM}\s*{_UNIT}(\s*[\(\[]\s*{_NUM}{_SEP}{_NUM}\s*[\)\]])?", text, re.I):
        if not median_ctx:
            break
        if any(a <= m.start() < b for a, b in used):
            continue
        used.append((m.start(), m.end()))
        medians.append(Median(endpoint=med_endpoint or endpoint or "OTHER", value=float(m.group(1)),
                              unit=_unit(m.group(2)), ci_low=_f(m.group(4)), ci_high=_f(m.group(5)),
                              span=_span(table, doc_id, r, 0, (m.start(), m.end()))))
    # roles of the medians in the order the header names the groups
    found = [md for md in medians if md.span and md.span.start >= 0][-len(used):] if used else []
    order = [("experimental" if _EXPER_RE.match(w) else "control")
             for w in re.findall(r"\b(treatment|experimental|control|placebo)\b", ctx, re.I)]
    if found and len(order) >= len(found):
        for i, md in enumerate(found):
            medians[medians.index(md)] = dataclasses.replace(md, arm_role=order[i])
    if len(measures) != 1:
        return
    for m in _RATIO_RE.finditer(text):
        if any(a <= m.start() < b for a, b in used):
            continue
        value, lo, hi = float(m.group(1)), float(m.group(3)), float(m.group(4))
        if not (0 < value < 100 and lo <= value <= hi):
            continue
        p_value, p_rel = _p_of(m, 5, 6)
        if p_value is None:
            p_value, p_rel = _p_of(m, 7, 8)
        ratios.append(Ratio(measure=measures[0], endpoint=_endpoint(ctx[ctx.lower().find("ratio") - 40:] if "ratio" in ctx.lower() else ctx) or endpoint or "OTHER",
                            value=value, ci_low=lo, ci_high=hi, p_value=p_value, p_relation=p_rel,
                            span=_span(table, doc_id, r, 0, (m.start(), m.end())), method="reported"))
