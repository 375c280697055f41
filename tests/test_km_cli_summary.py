"""`metabolero km reconstruct`, hr_from_figure and the summary-only approximation."""
import math

import numpy as np
import pandas as pd
import pytest

from metabolero.cli import main
from metabolero.errors import KMError
from metabolero.km import analyse, fit_parametric, from_summary, hr_from_figure
from metabolero.km.simulate import digitise_arm


def _write_arm(tmp_path):
    curve = pd.DataFrame({"time": [0, 1, 1, 2, 2, 4, 4, 8],
                          "survival": [100, 100, 90, 90, 70, 70, 60, 60]})
    risk = pd.DataFrame({"time": [0, 3], "n_at_risk": [10, 6]})
    c, r = tmp_path / "curve.csv", tmp_path / "risk.csv"
    curve.to_csv(c, index=False)
    risk.to_csv(r, index=False)
    return c, r


def test_cli_reconstruct_writes_ipd(tmp_path):
    c, r = _write_arm(tmp_path)
    out = tmp_path / "ipd.csv"
    assert main(["km", "reconstruct", "--curve", str(c), "--at-risk", str(r), "--events", "4",
                 "--out", str(out)]) == 0
    ipd = pd.read_csv(out)
    assert list(ipd.columns) == ["time", "event"]
    assert len(ipd) == 10 and ipd["event"].sum() == 4
    # drops of 1, 2 and 1 patients at times 1, 2 and 4 (10 then 9 then 7-ish at risk)
    np.testing.assert_allclose(np.sort(ipd.loc[ipd["event"] == 1, "time"]), [1, 2, 2, 4])


def test_cli_bad_csv_names_file_and_column(tmp_path, capsys):
    c, r = _write_arm(tmp_path)
    bad = tmp_path / "bad.csv"
    pd.DataFrame({"t": [0], "n_at_risk": [10]}).to_csv(bad, index=False)
    assert main(["km", "reconstruct", "--curve", str(c), "--at-risk", str(bad),
                 "--out", str(tmp_path / "o.csv")]) == 2
    err = capsys.readouterr().err
    assert "bad.csv" in err and "time" in err
    assert main(["km", "reconstruct", "--curve", str(tmp_path / "nope.csv"), "--at-risk", str(r),
                 "--out", str(tmp_path / "o.csv")]) == 2
    assert "nope.csv" in capsys.readouterr().err


def test_hr_from_figure_matches_cox_on_the_truth():
    rng = np.random.default_rng(3)
    arms, truth = [], []
    for name, scale in (("control", 12.0), ("drug", 18.0)):
        te, tc = rng.exponential(scale, 300), rng.uniform(6, 48, 300)
        time, event = np.minimum(te, tc), (te <= tc).astype(int)
        truth.append(pd.DataFrame({"time": time, "event": event, "arm": name}))
        dig = digitise_arm(time, event, seed=5)
        arms.append({"arm": name, "curve": dig.curve.to_numpy().tolist(),
                     "at_risk": dig.at_risk.to_numpy().tolist(), "events": dig.events})
    hr_true = analyse(pd.concat(truth), control="control").cox["hr"].iloc[0]
    got = hr_from_figure(arms)
    assert got["control"] == "control" and got["experimental"] == "drug"
    assert got["value"] == pytest.approx(hr_true, rel=0.03)
    assert got["ci_low"] < got["value"] < got["ci_high"]
    assert "Guyot" in got["method"]
    flipped = hr_from_figure(arms, control="drug")
    assert flipped["value"] == pytest.approx(1 / got["value"], rel=1e-6)


def test_hr_from_figure_bad_input_is_kmerror():
    with pytest.raises(KMError):
        hr_from_figure([{"arm": "a", "curve": [[0, 1]], "at_risk": [[0, 10]]}])
    with pytest.raises(KMError, match="curve"):
        hr_from_figure([{"arm": "a", "curve": "x", "at_risk": [[0, 10]]},
                        {"arm": "b", "curve": [[0, 1], [1, 0.5]], "at_risk": [[0, 10]]}])


def test_weibull_from_median_and_landmark_by_hand():
    # S(t) = exp(-(t/20)^1.5): median = 20*ln2^(1/1.5), S(30) = exp(-1.5^1.5)
    median = 20 * math.log(2) ** (1 / 1.5)
    m = fit_parametric(median, {30: math.exp(-(1.5 ** 1.5))}, "weibull")
    assert m.shape == pytest.approx(1.5)
    assert m.scale == pytest.approx(20)


def test_from_summary_exponential_is_labelled_and_honours_inputs():
    ipd = from_summary(400, 12.0, events=250, accrual=24)
    assert ipd.attrs["approximation"] is True
    assert ipd["method"].iloc[0].startswith("approximation: exponential")
    assert len(ipd) == 400 and ipd["event"].sum() == 250
    # uncensored quantile construction: KM median ~ the stated median
    full = from_summary(400, 12.0)
    assert analyse(full).medians["median"].iloc[0] == pytest.approx(12.0, rel=0.01)


def test_from_summary_hr_scales_the_control_hazard():
    ipd = from_summary(300, hr=0.5, control_median=10.0)
    # exponential: median doubles under HR 0.5
    assert ipd.attrs["model"].median == pytest.approx(20.0)


def test_from_summary_weibull_needs_two_pieces():
    with pytest.raises(KMError, match="two pieces"):
        from_summary(100, 10.0, assumption="weibull")
    with pytest.raises(KMError, match="assumption"):
        from_summary(100, 10.0, assumption="lognormal")


def test_from_summary_weibull_with_events_and_accrual():
    ipd = from_summary(250, 18.0, survival_at={36: 25.0}, assumption="weibull", events=120, accrual=12)
    assert ipd["event"].sum() == 120 and len(ipd) == 250
    model = ipd.attrs["model"]
    assert model.median == pytest.approx(18.0)
    assert float(model.survival(36)) == pytest.approx(0.25)
    assert "weibull" in ipd.attrs["method"] and "approximation" in ipd.attrs["method"]
