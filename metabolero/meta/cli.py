"""The ``metabolero pool`` command: pool a CSV of effects and print (or JSON-dump) the result."""
from __future__ import annotations

import json
import math
import sys
from pathlib import Path

from ..errors import MetaAnalysisError
from ..records import MEASURES, Ratio


def _clean(v):
    if v is None:
        return None
    try:
        if isinstance(v, float) and math.isnan(v):
            return None
    except TypeError:
        pass
    if hasattr(v, "item"):
        v = v.item()
    if isinstance(v, float) and math.isnan(v):
        return None
    if isinstance(v, str) and not v.strip():
        return None
    return v


def read_table(path: Path, endpoint=None):
    """Return (studies, yi, sei, measure, notes) from a study,yi,sei CSV or an evidence table CSV.

    Evidence tables (columns study or trial, value, ci_low, ci_high, ...) are converted with
    ``derive_from_ratio``; rows whose SE cannot be derived are listed in ``notes``.
    """
    import pandas as pd

    from .effects import derive_from_ratio

    path = Path(path)
    try:
        df = pd.read_csv(path)
    except FileNotFoundError:
        raise MetaAnalysisError(f"{path}: no such file") from None
    except Exception as exc:  # pandas raises several parser errors
        raise MetaAnalysisError(f"{path}: cannot be read as CSV ({exc})") from exc
    cols = {c.lower().strip(): c for c in df.columns}
    name_col = cols.get("study") or cols.get("trial") or cols.get("doc_id")
    notes = []
    if endpoint is not None:
        if "endpoint" not in cols:
            raise MetaAnalysisError(f"{path}: --endpoint {endpoint} given but the table has no 'endpoint' column")
        df = df[df[cols["endpoint"]].astype(str).str.upper() == str(endpoint).upper()]
    if "record" in cols:
        df = df[df[cols["record"]].astype(str) == "ratio"]
    measure = None
    if "measure" in cols:
        ms = sorted({str(m).upper() for m in df[cols["measure"]].dropna()})
        if len(ms) > 1:
            raise MetaAnalysisError(f"{path}: rows mix measures {ms}; pool one measure at a time")
        measure = ms[0] if ms else None
    studies, yi, sei = [], [], []
    if "yi" in cols and "sei" in cols and ("value" not in cols or df[cols["yi"]].notna().all()):
        for n, (_, row) in enumerate(df.iterrows(), start=1):
            label = str(row[name_col]) if name_col else f"Study {n}"
            y, s = _clean(row[cols["yi"]]), _clean(row[cols["sei"]])
            if y is None or s is None:
                if "value" in cols:
                    notes.append(f"{label}: no yi/sei (SE not derivable); set aside")
                    continue
                raise MetaAnalysisError(f"{path}: row {n} ({label}): yi or sei is empty; expected numbers")
            try:
                yv, sv = float(y), float(s)
            except (TypeError, ValueError):
                raise MetaAnalysisError(f"{path}: row {n} ({label}): yi={y!r}, sei={s!r}; expected numbers") from None
            studies.append(label)
            yi.append(yv)
            sei.append(sv)
    elif "value" in cols:
        for n, (_, row) in enumerate(df.iterrows(), start=1):
            label = str(row[name_col]) if name_col else f"Study {n}"
            get = lambda c: _clean(row[cols[c]]) if c in cols else None  # noqa: E731
            m = str(get("measure") or "HR").upper()
            if m not in MEASURES:
                raise MetaAnalysisError(f"{path}: row {n} ({label}): measure {m!r}; expected one of {MEASURES}")
            rel = get("p_relation")
            try:
                r = Ratio(measure=m, endpoint=get("endpoint"), value=_f(get("value")), ci_low=_f(get("ci_low")),
                          ci_high=_f(get("ci_high")), ci_level=_f(get("ci_level")) or 95,
                          p_value=_f(get("p_value")), p_relation=str(rel) if rel is not None else None)
            except Exception as exc:
                raise MetaAnalysisError(f"{path}: row {n} ({label}): {exc}") from exc
            d = derive_from_ratio(r)
            if d is None:
                notes.append(f"{label}: no CI or p-value to derive an SE from; set aside")
                continue
            studies.append(label)
            yi.append(d.yi)
            sei.append(d.sei)
            if d.method != "CI":
                notes.append(f"{label}: SE derived from {d.method}")
    else:
        raise MetaAnalysisError(f"{path}: expected columns study,yi,sei or an evidence table "
                                f"(study/trial, value, ci_low, ci_high, ...); got {list(df.columns)}")
    if not studies:
        raise MetaAnalysisError(f"{path}: no rows to pool" + (f" for endpoint {endpoint}" if endpoint else ""))
    for label in dict.fromkeys(studies):
        n = studies.count(label)
        if n > 1:
            notes.append(f"{label} appears {n} times and is pooled as {n} studies; "
                         "filter the table (e.g. --endpoint, one analysis per trial) if that double counts")
    return studies, yi, sei, measure, notes


def _f(v):
    if v is None:
        return None
    try:
        return float(v)
    except (TypeError, ValueError):
        raise MetaAnalysisError(f"expected a number, got {v!r}") from None


def run_pool(args) -> int:
    """Run ``metabolero pool``: print the summary (or one JSON object) and write plots; return 0."""
    from . import pool

    studies, yi, sei, measure, notes = read_table(args.table, getattr(args, "endpoint", None))
    res = pool(yi, sei, method=args.method, hksj=bool(args.hksj), studies=studies, measure=measure,
               stepadj=getattr(args, "stepadj", None))
    for n in notes:
        res.messages.append(n)
    plots = getattr(args, "plots", None)
    written = []
    if plots is not None and res.k >= 2:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt

        stem = Path(args.table).stem
        for kind in ("forest", "funnel"):
            fig = getattr(res, f"plot_{kind}")()
            for suffix in (".svg", ".png"):
                p = Path(plots) / f"{kind}-{stem}{suffix}"
                p.parent.mkdir(parents=True, exist_ok=True)
                fig.savefig(p, bbox_inches="tight", dpi=200 if suffix == ".png" else None)
                written.append(str(p))
            plt.close(fig)
    if args.json:
        d = res.to_dict()
        d["studies"] = studies
        d["plots"] = written
        print(json.dumps(d, ensure_ascii=False))
    else:
        print(res.summary())
        for p in written:
            print(f"wrote {p}", file=sys.stderr)
    return 0
