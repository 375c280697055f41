"""``metabolero km ...`` commands: a thin shell over metabolero.km."""
from __future__ import annotations

import sys

from ..errors import KMError
from .reconstruct import read_csv, reconstruct_arm


def run_km(args) -> int:
    """Run ``metabolero km <command>``; return the exit status (0 ok). Bad input raises KMError."""
    if args.km_command != "reconstruct":
        raise KMError(f"km: unknown command {args.km_command!r}; expected 'reconstruct'")
    curve = read_csv(args.curve, "curve (columns time,survival)")
    at_risk = read_csv(args.at_risk, "at-risk (columns time,n_at_risk)")
    rec = reconstruct_arm(curve, at_risk, args.events,
                          curve_source=str(args.curve), risk_source=str(args.at_risk))
    try:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        rec.ipd.to_csv(args.out, index=False)
    except OSError as exc:
        raise KMError(f"{args.out}: cannot write the IPD ({exc})") from exc
    for w in rec.warnings:
        print(f"metabolero km: warning: {w}", file=sys.stderr)
    n, ev = len(rec.ipd), int(rec.ipd["event"].sum())
    print(f"{args.out}: {n} patients, {ev} events, {n - ev} censored ({rec.method})", file=sys.stderr)
    return 0
