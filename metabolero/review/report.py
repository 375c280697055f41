"""The change report of an update: Markdown text, a pooled before/after table and cumulative forest plots."""
from __future__ import annotations

from pathlib import Path
from typing import Optional

SET_ASIDE_SHOWN = 100           # set-aside records listed per analysis in a change report
CUMULATIVE_MAX_K = 100          # larger analyses get no cumulative plot (one refit and one row per study)


def cumulative_frame(result):
    """Return the cumulative meta-analysis of an AnalysisResult in publication order (ratio scale).

    One row per step: ``study`` added, ``k``, ``estimate``, ``ci_low``, ``ci_high``. Trials are
    added in the year of the analysis pooled for them (ties by name); each step is the pooled
    model refitted on the studies so far (``PoolResult.cumulative``, as metafor's ``cumul()``).
    """
    import numpy as np
    import pandas as pd

    pooled = result.result
    keys = [(s.candidate.year or 0, s.candidate.trial) for s in result.studies]
    cum = pooled.cumulative(order=keys)
    return pd.DataFrame({"study": list(cum.index), "k": np.arange(1, len(cum) + 1),
                         "estimate": np.exp(cum["estimate"].to_numpy()),
                         "ci_low": np.exp(cum["ci_low"].to_numpy()),
                         "ci_high": np.exp(cum["ci_high"].to_numpy())})


def plot_cumulative(result, ax=None):
    """Draw a cumulative forest plot of an AnalysisResult (log axis); return the matplotlib figure."""
    import math

    from ..meta.plots import _pyplot, _ratio_axis

    frame = cumulative_frame(result)
    if ax is None:
        fig, ax = _pyplot().subplots(figsize=(7, 1.2 + 0.35 * max(len(frame), 1)))
    else:
        fig = ax.figure
    y = list(range(len(frame), 0, -1))
    ax.errorbar(frame["estimate"], y, xerr=[frame["estimate"] - frame["ci_low"], frame["ci_high"] - frame["estimate"]],
                fmt="s", color="black", ecolor="black", capsize=2, markersize=4)
    ax.axvline(1.0, color="grey", lw=0.8, ls="--")
    lo, hi = min(frame["ci_low"].min(), 1.0), max(frame["ci_high"].max(), 1.0)
    _ratio_axis(ax, math.log(lo), math.log(hi))          # the forest plot's ratio axis
    ax.set_yticks(y)
    ax.set_yticklabels([f"+ {s}" for s in frame["study"]])
    right = ax.secondary_yaxis("right")
    right.set_yticks(y)
    right.set_yticklabels([f"{e:.2f} ({a:.2f}-{b:.2f})" for e, a, b in
                           zip(frame["estimate"], frame["ci_low"], frame["ci_high"])])
    right.tick_params(length=0)
    ax.set_xlabel(f"cumulative pooled {result.analysis.measure} ({result.result.level:g}% CI)")
    ax.set_title(result.analysis.name, fontsize=10)
    fig.tight_layout()
    return fig


def write_change_report(report, review_dir, plots: bool = True) -> Path:
    """Write ``REVIEW_DIR/updates/<date>-run<N>/report.md`` (and cumulative forest plots); return the folder."""
    folder = Path(review_dir) / "updates" / f"{report.started_at[:10]}-run{report.run_id}"
    folder.mkdir(parents=True, exist_ok=True)
    text = report.to_markdown()
    if plots:
        figs, skipped = [], []
        for a in report.analyses:
            if a.result is None or a.result.result is None or len(a.result.studies) < 2:
                continue
            if len(a.result.studies) > CUMULATIVE_MAX_K:
                skipped.append(f"{a.name} (k={len(a.result.studies)})")
                continue
            from ..meta.plots import _pyplot

            fig = plot_cumulative(a.result)
            name = f"cumulative-{a.result.slug}"
            fig.savefig(folder / f"{name}.svg")
            fig.savefig(folder / f"{name}.png", dpi=120)
            _pyplot().close(fig)
            figs.append((a.name, name))
        if figs or skipped:
            text += "\n## Cumulative forest plots\n\n" + "\n".join(f"![{n}]({f}.svg)" for n, f in figs) + "\n"
        if skipped:
            text += (f"\nNot drawn (more than {CUMULATIVE_MAX_K} studies, one row each): "
                     + "; ".join(skipped) + "\n")
    (folder / "report.md").write_text(text, encoding="utf-8")
    report.report_dir = folder
    return folder


def changes_frame(report):
    """Return the pooled estimates before and after an update as a pandas DataFrame (ratio scale)."""
    import pandas as pd

    rows = []
    for a in report.analyses:
        b = a.before or {}
        rows.append({"analysis": a.name, "k_before": b.get("k"), "estimate_before": b.get("estimate"),
                     "ci_low_before": b.get("ci_low"), "ci_high_before": b.get("ci_high"),
                     "k_after": a.after.get("k"), "estimate_after": a.after.get("estimate"),
                     "ci_low_after": a.after.get("ci_low"), "ci_high_after": a.after.get("ci_high"),
                     "changed": a.changed})
    return pd.DataFrame(rows)


def _fmt(fig: Optional[dict]) -> str:
    if not fig or fig.get("estimate") is None:
        return f"not pooled (k={fig.get('k', 0) if fig else 0})"
    ci = ""
    if fig.get("ci_low") is not None and fig.get("ci_high") is not None:
        ci = f" ({fig['ci_low']:.2f}-{fig['ci_high']:.2f})"
    return f"{fig['estimate']:.2f}{ci}, k={fig['k']}"


def change_markdown(r) -> str:
    """Return an UpdateReport as Markdown: counts, new studies, duplicates, conflicts, pooled before/after."""
    lines = [f"# Living review update {r.started_at}", ""]
    if not r.changed:
        lines += [f"Nothing new: {r.unchanged} document(s) already in the store; the store was not changed.", ""]
    elif not (r.new_documents or r.reextracted or r.duplicates or r.linked):
        lines += ["No new documents; the pooled results differ from the last snapshot (configuration changed?), "
                  "so a new snapshot was stored.", ""]
    lines += [
        f"- new documents: {len(r.new_documents)} ({r.n_records} records, {r.n_needs_review} needing verification)",
        f"- new trials: {len(r.new_trials)}" + (f" ({', '.join(r.new_trials)})" if r.new_trials else ""),
        f"- trials merged: {len(r.merged_trials)}" + (f" ({'; '.join(r.merged_trials)})" if r.merged_trials else ""),
        f"- trials renamed: {len(r.renamed_trials)}" + (f" ({'; '.join(r.renamed_trials)})" if r.renamed_trials else ""),
        f"- learnt from duplicates: {len(r.linked)}" + (f" ({'; '.join(r.linked)})" if r.linked else ""),
        f"- duplicates set aside: {len(r.duplicates)}",
        f"- already in the store: {r.unchanged}",
        f"- re-extracted: {len(r.reextracted)}; conflicts with reviewed values: {len(r.conflicts)}",
        f"- failed: {len(r.failures)}",
        f"- extractor version: {r.extractor_version or 'unknown'}",
        "",
    ]
    if r.new_documents:
        lines += ["## New studies", "", "| document | trial | year | records | title |", "|---|---|---|---|---|"]
        for d in r.new_documents:
            lines.append(f"| {d['doc_key']} | {d['trial']} | {d['year'] or ''} | {d['n_records']} | {d['title'] or ''} |")
        lines.append("")
    if r.duplicates:
        lines += ["## Duplicate publications set aside", ""]
        lines += [f"- {d['source']}: {d['reason']}" for d in r.duplicates] + [""]
    if r.conflicts:
        lines += ["## Conflicts (reviewed value kept)", ""]
        lines += [f"- record {c['record_id']} ({c['status']}): kept {c['kept']}, extractor {c['extractor_version']} "
                  f"says {c['new'] if c['new'] is not None else 'nothing'}" for c in r.conflicts] + [""]
    if r.analyses:
        lines += ["## Pooled estimates", "", "| analysis | before | after | changed |", "|---|---|---|---|"]
        for a in r.analyses:
            lines.append(f"| {a.name} | {_fmt(a.before) if a.before else 'none'} | {_fmt(a.after)} | "
                         f"{'yes' if a.changed else 'no'} |")
        lines.append("")
        # Set-aside records of the trials this update brought documents for: what changed,
        # not the whole store (every snapshot keeps all reasons in the store).
        touched = {d["trial"] for d in r.new_documents}
        for a in r.analyses:
            aside = [s for s in a.set_aside if s["trial"] in touched]
            if aside:
                lines += [f"### {a.name}: records set aside", ""]
                lines += [f"- {s['trial']} ({s['doc_id']}, value {s['value']}): {s['reason']}"
                          for s in aside[:SET_ASIDE_SHOWN]]
                if len(aside) > SET_ASIDE_SHOWN:
                    lines.append(f"- ... and {len(aside) - SET_ASIDE_SHOWN} more (all are in the snapshot)")
                lines.append("")
    if r.failures:
        lines += ["## Failed sources", ""] + [f"- {f['source']}: {f['reason']}" for f in r.failures] + [""]
    return "\n".join(lines)
