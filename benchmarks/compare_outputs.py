"""Differential check for speed work: what the extractor of a git revision and the working tree's
extract from the same texts, compared output by output.

A change made to speed extraction up must not change what it extracts. The texts are the dev set and
results tables (../shared/gold, when present), the challenge sets (tests/fixtures/challenge*), the
documents of corpus/, ../shared/seeds and ../shared/gold/pdf read through ``metabolero.ingest``, and
6,600 variations of the texts made with a fixed seed: lines wrapped, notations swapped, texts cut short,
upper- or lower-cased, sentences shuffled, and characters whose case folding is odd put in ("\u017f",
the Kelvin sign, dotted and dotless i). The variations reach paths the originals do not. Each tree runs
in a process of its own; an exception is an output like any other.

Usage: python benchmarks/compare_outputs.py [REV] [--all]   (REV: a git revision, default HEAD; --all: show
every difference, not the first five)
The last line is ``differences: N``; the exit status is 1 when N > 0.
"""
from __future__ import annotations

import io
import json
import random
import subprocess
import sys
import tarfile
import tempfile
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"

# The extractor of one tree over the items of a JSON Lines file: argv = tree, items, outputs.
_WORKER = r"""
import json, sys
from pathlib import Path
tree, items, outputs = sys.argv[1:4]
sys.path.insert(0, tree)
import metabolero
from metabolero import ingest
from metabolero.extract import extract
from metabolero.records import Document
if not Path(metabolero.__file__).resolve().is_relative_to(Path(tree).resolve()):
    raise SystemExit(f"imported metabolero from {metabolero.__file__}, not from {tree}")
with open(items, encoding="utf-8") as fh, open(outputs, "w", encoding="utf-8") as out:
    for line in fh:
        item = json.loads(line)
        try:
            if "path" in item:
                docs = ingest.read_path(Path(item["path"]))
            else:
                docs = [Document(id=item["id"], text=item["text"])]
            got = [extract(d).to_dict() for d in docs]
        except Exception as e:  # an exception is an output too: both trees must raise the same one
            got = f"EXC {type(e).__name__}: {e}"
        out.write(json.dumps({"id": item["id"], "out": got}, sort_keys=True) + "\n")
"""

# (before, after) swaps of notation that the variations make
_SWAPS = [("95% CI", "95% confidence interval"), ("95% CI", "95 % CI"), (" versus ", " vs "), (" vs ", " versus "),
          (" vs. ", " versus "), ("-", "\u2013"), ("-", "\u2212"), (" ", "\u2009"), (" ", "\u00a0"), (".", "\u00b7"),
          ("hazard ratio", "HR"), ("HR", "hazard ratio"), ("(", "["), (")", "]"), (", ", "; "), ("P =", "p="),
          ("P<", "P < "), ("months", "mo"), ("median", "Median"), ("\n", " "), (" ", "\n"), ("=", ": ")]
# characters re's case folding maps onto ASCII letters where str.lower() does not
_ODD_FOLDS = [("s", "\u017f"), ("k", "\u212a"), ("i", "\u0131"), ("I", "\u0130"), ("S", "\u017f")]


def _variation(t: str, k: int, n: int, rng: random.Random) -> str:
    """The ``k``-th variation of text ``t`` (one of ``n`` base texts): the kind cycles every ``n``."""
    kind = k // n % 6
    if kind == 0:
        return "\n".join(textwrap.wrap(t, rng.randint(30, 120), break_on_hyphens=rng.random() < .5))
    if kind == 1:
        a, b = rng.choice(_SWAPS)
        return t.replace(a, b)
    if kind == 2:
        for _ in range(3):
            a, b = rng.choice(_SWAPS)
            t = t.replace(a, b, rng.randint(1, 5))
        return t
    if kind == 3:
        return t[:rng.randint(0, len(t))]
    if kind == 4:
        return t.upper() if rng.random() < .3 else t.lower()
    s = t.split(". ")
    rng.shuffle(s)
    return "\n".join(textwrap.wrap(". ".join(s), rng.randint(40, 100)))


def items() -> list[dict]:
    """Every input to compare: {"id", "text"} for a text, {"id", "path"} for a file read through ingest."""
    out: list[dict] = []
    base: list[str] = []
    gold = SHARED / "gold"
    files = sorted(gold.glob("*.json")) + sorted((gold / "tables").glob("*.json"))
    files += sorted(p for c in sorted((ROOT / "tests" / "fixtures").glob("challenge*")) for p in c.glob("*.json"))
    for p in files:
        d = json.loads(p.read_text(encoding="utf-8"))
        if "text" in d:
            out.append({"id": f"{p.parent.name}/{p.stem}", "text": d["text"]})
            base.append(d["text"])
    paths = [p for p in sorted((ROOT / "corpus").iterdir()) if p.name not in ("README.md", "SOURCES.csv")]
    paths += sorted((SHARED / "seeds").glob("*")) + sorted((gold / "pdf").glob("*.pdf"))
    out += [{"id": f"file:{p.name}", "path": str(p)} for p in paths if p.is_file()]
    for p in sorted((SHARED / "seeds").glob("*")):
        if p.is_file():
            out.append({"id": f"seed:{p.name}", "text": p.read_text(encoding="utf-8", errors="replace")})
    if not base:
        return out
    rng = random.Random(1234)
    n = len(base)
    for k in range(6000):
        out.append({"id": f"var-{k}", "text": _variation(base[k % n], k, n, rng)})
    for k in range(600):
        t = base[k % n]
        a, b = _ODD_FOLDS[k % 5]
        t = t.replace(a, b, 1 + k % 7) if k % 2 else t.replace(a, b)
        out.append({"id": f"fold-{k}", "text": t.upper() if k % 3 == 0 else t})
    return out


def _run(tree: Path, items_path: Path, out_path: Path) -> dict[str, str]:
    """Outputs of ``tree``'s extractor by item id (JSON text)."""
    proc = subprocess.run([sys.executable, "-c", _WORKER, str(tree), str(items_path), str(out_path)],
                          capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        raise SystemExit(f"the extractor of {tree} failed (exit {proc.returncode}):\n{proc.stderr[-3000:]}")
    res = {}
    with out_path.open(encoding="utf-8") as fh:
        for line in fh:
            d = json.loads(line)
            res[d["id"]] = json.dumps(d["out"], sort_keys=True)
    return res


def main(argv: list[str]) -> int:
    """Compare the outputs of revision ``argv[0]`` (default HEAD) with the working tree's; return the exit status
    (0: none differ, 1: some differ, 2: the revision could not be read)."""
    show_all = "--all" in argv
    argv = [a for a in argv if a != "--all"]
    rev = argv[0] if argv else "HEAD"
    if not SHARED.is_dir():
        print(f"note: {SHARED} is absent: only corpus/ and the challenge sets are compared")
    todo = items()
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        archive = subprocess.run(["git", "-C", str(ROOT), "archive", "--format=tar", rev],
                                 capture_output=True, check=False)
        if archive.returncode != 0:
            print(f"compare_outputs.py: git archive of revision {rev!r} failed: "
                  f"{archive.stderr.decode(errors='replace').strip()}")
            return 2
        base_tree = tmp_path / "base"
        with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
            # (the "data" filter refuses links and paths out of the folder; Pythons before 3.11.4 lack it)
            tar.extractall(base_tree, **({"filter": "data"} if hasattr(tarfile, "data_filter") else {}))
        items_path = tmp_path / "items.jsonl"
        items_path.write_text("".join(json.dumps(d) + "\n" for d in todo), encoding="utf-8")
        old = _run(base_tree, items_path, tmp_path / "old.jsonl")
        new = _run(ROOT, items_path, tmp_path / "new.jsonl")
    bad = [k for k in old if old[k] != new.get(k)]
    for k in (bad if show_all else bad[:5]):
        a, b = old[k], new.get(k, "")
        # the outputs from 100 characters before their first difference
        i = next((j for j, (x, y) in enumerate(zip(a, b)) if x != y), min(len(a), len(b)))
        print(f"{k} (from character {max(0, i - 100)})")
        print(f"  {rev}: ...{a[max(0, i - 100):i + 300]}")
        print(f"  working tree: ...{b[max(0, i - 100):i + 300]}")
    print(f"inputs: {len(todo)}; compared with {rev}")
    print(f"differences: {len(bad)}")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
