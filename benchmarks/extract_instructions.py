"""Instructions per abstract of extraction, counted by valgrind: a speed figure that does not move with
the machine's load.

The CPU-time rate of ``extract_speed.py`` moves with what else the host runs: on a shared 2-core VM
the same code read from ~1,500 to ~2,600 abstracts/s within one hour. An instruction count is the same
on every run of the same code, interpreter and inputs, so it tells whether a change made extraction
cheaper when a timing cannot.

The script runs itself twice under ``valgrind --tool=cachegrind`` (with ``PYTHONHASHSEED=0``, as the
order of sets and dicts changes some work): once extracting the abstracts of the speed benchmark's
corpus (the dev set) once, which pays every one-time cost (imports, compiled patterns, the endpoint
tables), and once extracting them ``1 + R`` times. The difference divided by ``R`` times the number of
abstracts is the steady cost of one abstract, from reading its text to its records.

Needs valgrind and ../shared/gold. Usage: python benchmarks/extract_instructions.py [R]   (default 3)
The last line is ``instructions/abstract: X``.
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

GOLD = ROOT.parent / "shared" / "gold"
_REFS_RE = re.compile(r"I\s+refs:\s+([\d,]+)")


def _passes(repeats: int) -> None:
    """Extract the dev-set abstracts ``1 + repeats`` times (the work valgrind counts)."""
    from extract_speed import corpus

    from metabolero.extract import extract
    from metabolero.records import Document

    docs = [Document(id=d["id"], text=d["text"]) for d in corpus(GOLD, len(_dev_texts()))]
    for _ in range(1 + repeats):
        for d in docs:
            extract(d)


def _dev_texts() -> list[Path]:
    """The dev-set files that hold an abstract's text."""
    import json

    return [f for f in sorted(GOLD.glob("*.json")) if "text" in json.loads(f.read_text(encoding="utf-8"))]


def _count(repeats: int) -> int:
    """Instructions valgrind counts for one run of ``_passes(repeats)`` in a fresh interpreter."""
    env = dict(os.environ, PYTHONHASHSEED="0")
    proc = subprocess.run(
        ["valgrind", "--tool=cachegrind", "--cache-sim=no", "--cachegrind-out-file=/dev/null",
         sys.executable, str(Path(__file__).resolve()), "--inner", str(repeats)],
        capture_output=True, text=True, env=env, check=False,
    )
    m = _REFS_RE.search(proc.stderr)
    if proc.returncode != 0 or m is None:
        raise SystemExit(f"valgrind run with {repeats} repeats failed (exit {proc.returncode}):\n{proc.stderr[-2000:]}")
    return int(m.group(1).replace(",", ""))


def main(argv: list[str]) -> int:
    """Print the instructions per abstract; return the exit status (2 when nothing could be counted)."""
    if argv[:1] == ["--inner"]:
        _passes(int(argv[1]))
        return 0
    repeats = int(argv[0]) if argv else 3
    if repeats < 1:
        print(f"extract_instructions.py: R must be at least 1, got {repeats}")
        return 2
    if shutil.which("valgrind") is None:
        print("extract_instructions.py: valgrind is not on PATH (Debian: apt install valgrind); nothing counted")
        return 2
    if not GOLD.is_dir():
        print(f"extract_instructions.py: {GOLD} is absent (the dev set is read from ../shared/gold); nothing counted")
        return 2
    n = len(_dev_texts())
    # byte-compile the package first: a source edited since the last run is compiled (and its .pyc written) by the
    # first interpreter that imports it, which would charge the compilation to the warm-up run alone and make the
    # per-abstract figure too low
    subprocess.run([sys.executable, "-c", "import metabolero.extract"], cwd=ROOT, check=True)
    warm = _count(0)
    full = _count(repeats)
    per_doc = (full - warm) / (repeats * n)
    print(f"abstracts: {n} x {repeats} after one warm-up pass; one-time cost (imports and warm-up pass): {warm:,} "
          "instructions")
    print(f"instructions/abstract: {per_doc:,.0f}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
