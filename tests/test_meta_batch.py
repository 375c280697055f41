"""pool_many (vectorised) gives the figures of pool() one at a time, fallbacks included."""
import json

import numpy as np
import pytest

from metabolero.errors import MetaAnalysisError
from metabolero.meta import FIELDS, METHODS, pool, pool_many


def _random(n, seed):
    rng = np.random.default_rng(seed)
    out = []
    for _ in range(n):
        k = int(rng.integers(2, 25))
        s = rng.uniform(0.05, 0.6, k)
        out.append((rng.normal(-0.2, rng.uniform(0, 0.6), k) + rng.normal(0, s), s))
    # edge cases: one study, identical studies, two studies
    out += [(np.array([0.3]), np.array([0.1])), (np.full(4, 0.2), np.full(4, 0.1)),
            (np.array([-0.1, 0.4]), np.array([0.2, 0.3]))]
    return out


def _compare(data, method, hksj):
    b = pool_many([d[0] for d in data], [d[1] for d in data], method=method, hksj=hksj)
    for i, (y, s) in enumerate(data):
        d = pool(y, s, method=method, hksj=hksj).to_dict()
        assert b["method"][i] == d["method"]
        assert b["k"][i] == d["k"]
        for f in FIELDS:
            if d[f] is None:
                assert np.isnan(b[f][i]), (i, f)
            else:
                assert b[f][i] == pytest.approx(d[f], abs=1e-9), (i, f)


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("hksj", [False, True])
def test_pool_many_equals_pool(method, hksj):
    _compare(_random(40, 7), method, hksj)


def test_pool_many_on_reference_datasets(shared):
    ref = json.loads((shared / "metafor" / "reference.json").read_text())["datasets"]
    ys, ss = [d["yi"] for d in ref], [d["sei"] for d in ref]
    b = pool_many(ys, ss, method="REML", hksj=True)
    for i, d in enumerate(ref):
        for f, want in d["fits"]["REML_knha"].items():
            assert b[f][i] == pytest.approx(want, abs=1e-6), (d["name"], f)


def test_pool_many_errors_name_the_analysis():
    with pytest.raises(MetaAnalysisError, match="analysis 2"):
        pool_many([[0.1, 0.2], [0.1, 0.3]], [[0.1, 0.1], [0.1, -1.0]])
