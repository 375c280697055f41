#!/usr/bin/env python3
"""Set up metabolero in a local virtual environment (.venv) and run it.

    python3 run.py review   # the main job: corpus/ -> reports/
    python3 run.py test     # the whole test suite (extra arguments go to pytest)

Only Python >= 3.11 is needed; the first run installs the dependencies from PyPI.
"""
from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PY = BIN / ("python.exe" if os.name == "nt" else "python")


def _setup(extras: str) -> None:
    if sys.version_info < (3, 11):
        sys.exit(f"metabolero needs Python >= 3.11; this is {sys.version.split()[0]}")
    if not PY.exists():
        print("run.py: creating .venv", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    stamp = VENV / f".installed-{extras or 'base'}"
    want = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if stamp.exists() and stamp.read_text() == want:
        return
    print(f"run.py: installing metabolero{('[' + extras + ']') if extras else ''} into .venv", flush=True)
    spec = f".[{extras}]" if extras else "."
    subprocess.run([str(PY), "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
                    "-e", spec], cwd=ROOT, check=True)
    stamp.write_text(want)


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in ("review", "test"):
        print(__doc__)
        return 2
    cmd, rest = argv[0], argv[1:]
    if cmd == "review":
        _setup("")
        return subprocess.call([str(BIN / "metabolero"), "review", "corpus", "--out", "reports", *rest], cwd=ROOT)
    _setup("test")
    return subprocess.call([str(PY), "-m", "pytest", *rest], cwd=ROOT)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
