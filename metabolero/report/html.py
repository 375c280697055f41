"""A single self-contained HTML report: pooled results with inline SVG plots, and the evidence table."""
from __future__ import annotations

import datetime as _dt
import html
import math
from pathlib import Path
from typing import Optional

import pandas as pd

from .. import __version__

_CSS = """
body{font-family:-apple-system,Segoe UI,Helvetica,Arial,sans-serif;margin:2em auto;max-width:1200px;color:#222;padding:0 1em}
h1{font-size:1.6em}h2{font-size:1.3em;border-bottom:1px solid #ccc;padding-bottom:.2em;margin-top:2em}
table{border-collapse:collapse;font-size:.85em;margin:.5em 0}
th,td{border:1px solid #ddd;padding:3px 6px;vertical-align:top;text-align:left}
th{background:#f3f3f3}td.num{text-align:right;font-variant-numeric:tabular-nums}
q,.quote{font-family:Georgia,serif;color:#333;background:#fffbe6}
.flag{color:#a40000}.muted{color:#777}.fig svg{max-width:100%;height:auto}
.summary td{border:none;padding:1px 10px 1px 0}
"""


def _e(x) -> str:
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return ""
    return html.escape(str(x))


def _num(x, digits: int = 3) -> str:
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return ""
    return f"{x:.{digits}f}"


def _svg_inline(path: Optional[Path]) -> str:
    if path is None or not Path(path).exists():
        return ""
    svg = Path(path).read_text(encoding="utf-8")
    start = svg.find("<svg")
    return svg[start:] if start >= 0 else ""


def _pooled_block(a: dict, svg_path: Optional[Path]) -> str:
    parts = [f"<h3>{_e(a['analysis'])}</h3>"]
    p = a.get("pooled")
    if a.get("message"):
        parts.append(f"<p class='muted'>{_e(a['message'])}</p>")
    if p:
        exp = math.exp
        lvl = a.get("level", 95)
        parts.append("<table class='summary'>")
        parts.append(f"<tr><td>pooled HR</td><td><b>{exp(p['estimate']):.3f}</b> "
                     f"({lvl:g}% CI {exp(p['ci_low']):.3f} to {exp(p['ci_high']):.3f}); "
                     f"p = {p['pval']:.3g}</td></tr>")
        if p.get("pi_low") is not None:
            parts.append(f"<tr><td>prediction interval</td><td>{exp(p['pi_low']):.3f} to {exp(p['pi_high']):.3f}</td></tr>")
        parts.append(f"<tr><td>heterogeneity</td><td>tau² = {p['tau2']:.4f}; I² = {p['I2']:.1f}%; "
                     f"Q = {p['Q']:.2f} (p = {p['Q_p']:.3g}); k = {a['k']}</td></tr>")
        parts.append(f"<tr><td>model</td><td>{_e(p.get('method'))}{' + Knapp-Hartung' if p.get('hksj') else ''}"
                     f" on log HR</td></tr></table>")
    if a["studies"]:
        parts.append("<table><tr><th>trial</th><th>document</th><th>HR</th><th>CI</th><th>analysis</th>"
                     "<th>log HR</th><th>SE</th><th>SE derived from</th><th>quote</th></tr>")
        for s in a["studies"]:
            parts.append(
                f"<tr><td>{_e(s['trial'])}</td><td>{_e(s['doc_id'])}</td><td class='num'>{_e(s['value'])}</td>"
                f"<td class='num'>{_e(s['ci_low'])}–{_e(s['ci_high'])}</td><td>{_e(s['stage'])}</td>"
                f"<td class='num'>{_num(s['yi'], 4)}</td><td class='num'>{_num(s['sei'], 4)}</td>"
                f"<td>{_e(s['derivation'])}</td><td class='quote'>{_e(s['quote'])}</td></tr>")
        parts.append("</table>")
    if a["set_aside"]:
        parts.append("<p>Set aside:</p><ul>")
        for d in a["set_aside"]:
            parts.append(f"<li>{_e(d['trial'])} — {_e(d['doc_id'])}, HR {_e(d['value'])}: {_e(d['reason'])}</li>")
        parts.append("</ul>")
    svg = _svg_inline(svg_path)
    if svg:
        parts.append(f"<div class='fig'>{svg}</div>")
    return "\n".join(parts)


def _evidence_block(table: pd.DataFrame) -> str:
    cols = ["doc_id", "trial", "record", "measure", "endpoint", "assessment", "qualifier", "value", "unit",
            "ci_low", "ci_high", "p", "arm", "arm_role", "experimental_arm", "control_arm", "derivation", "flags", "quote"]
    out = ["<table><tr>" + "".join(f"<th>{c}</th>" for c in cols) + "</tr>"]
    for rec in table.to_dict(orient="records"):
        cells = []
        for c in cols:
            v = rec.get(c)
            if c == "value" and rec.get("not_reached") is True:
                v = "NR"
            cls = " class='quote'" if c == "quote" else (" class='flag'" if c == "flags" else "")
            if c == "quote" and v:
                title = f"{rec.get('source')} chars {rec.get('span_start')}–{rec.get('span_end')}"
                cells.append(f"<td{cls} title='{_e(title)}'>“{_e(v)}”</td>")
            else:
                cells.append(f"<td{cls}>{_e(v)}</td>")
        out.append("<tr>" + "".join(cells) + "</tr>")
    out.append("</table>")
    return "\n".join(out)


def write_html(path: Path, *, title: str, question: str, analyses: list[dict], plots: dict[str, Path],
               table: pd.DataFrame, failures: list, n_documents: int) -> Path:
    """Write the self-contained HTML report to ``path`` and return it."""
    when = _dt.datetime.now(_dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    body = [f"<h1>{_e(title)}</h1>"]
    if question:
        body.append(f"<p>{_e(question)}</p>")
    n_ratio = int((table["record"] == "ratio").sum()) if len(table) else 0
    n_median = int((table["record"] == "median").sum()) if len(table) else 0
    n_flag = int(table["flags"].fillna("").astype(str).str.len().gt(0).sum()) if len(table) else 0
    body.append(f"<p class='muted'>metabolero {__version__}, {when}: {n_documents} documents, "
                f"{n_ratio} ratios, {n_median} medians, {n_flag} values flagged by consistency checks, "
                f"{len(failures)} files failed.</p>")
    body.append("<h2>Pooled analyses</h2>")
    for a in analyses:
        body.append(_pooled_block(a, plots.get(a["analysis"])))
    if failures:
        body.append("<h2>Files not read</h2><ul>")
        body.extend(f"<li>{_e(f.path)}: {_e(f.reason)}</li>" for f in failures)
        body.append("</ul>")
    body.append("<h2>Evidence table</h2><p class='muted'>Every value with the exact text it was read from "
                "(hover a quote for its file and character span).</p>")
    body.append(_evidence_block(table))
    doc = (f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>{_e(title)}</title>"
           f"<style>{_CSS}</style></head><body>{''.join(body)}</body></html>")
    path.write_text(doc, encoding="utf-8")
    return path
