"""Survival analysis of real trials against R survival 3.5-3 (../shared/ipd/reference.json).

reference.json was made with R's survival package 3.5-3:
  survfit(Surv(time, event) ~ arm)            medians, 95% CI (conf.type = "log"),
  print(fit, rmean = rmst_horizon)            restricted means,
  coxph(Surv(time, event) ~ arm, ties = "breslow")  (control as reference level),
  survdiff(Surv(time, event) ~ arm)           log-rank chi-square and p.
Same methods, so figures must agree to 1e-6 (relative for the non-integer ones).
"""
import json
import math

import numpy as np
import pandas as pd
import pytest

from metabolero.errors import KMError
from metabolero.km import analyse

DATASETS = ["veteran", "colon_death", "colon_recurrence", "pbc", "cgd", "ovarian", "gbsg", "aml"]


@pytest.fixture(scope="module")
def reference(shared):
    return json.loads((shared / "ipd" / "reference.json").read_text())


def _load(shared, reference, name):
    ref = reference[name]
    ipd = pd.read_csv(shared / "ipd" / f"{name}.csv")
    return ref, analyse(ipd, control=ref["control"])


def _same(got, expected, rel=1e-6):
    if expected is None:
        return math.isnan(got)
    return got == pytest.approx(expected, rel=rel, abs=1e-9)


def test_reference_covers_every_dataset(reference):
    assert sorted(reference) == sorted(DATASETS)


@pytest.mark.parametrize("name", DATASETS)
def test_medians_and_ci_match_r(shared, reference, name):
    ref, a = _load(shared, reference, name)
    med = a.medians.set_index("arm")
    for arm in ref["arms"]:
        row = med.loc[arm["arm"]]
        assert int(row["n"]) == arm["n"]
        assert int(row["events"]) == arm["events"]
        for col, key in (("median", "median"), ("ci_low", "median_lcl"), ("ci_high", "median_ucl")):
            assert _same(float(row[col]), arm[key]), (name, arm["arm"], col, row[col], arm[key])


@pytest.mark.parametrize("name", DATASETS)
def test_rmst_matches_r(shared, reference, name):
    ref, a = _load(shared, reference, name)
    rm = a.rmst(ref["rmst_horizon"]).set_index("arm")
    for arm in ref["arms"]:
        assert _same(float(rm.loc[arm["arm"], "rmst"]), arm["rmst"])


@pytest.mark.parametrize("name", DATASETS)
def test_cox_breslow_matches_r(shared, reference, name):
    ref, a = _load(shared, reference, name)
    cox = a.cox.set_index("experimental")
    assert len(cox) == len(ref["cox_breslow"])
    for c in ref["cox_breslow"]:
        row = cox.loc[c["experimental"]]
        assert row["control"] == c["control"]
        for key in ("hr", "ci_low", "ci_high", "se_log_hr"):
            assert _same(float(row[key]), c[key]), (name, key, row[key], c[key])
        assert float(row["log_hr"]) == pytest.approx(c["log_hr"], abs=1e-6)


@pytest.mark.parametrize("name", DATASETS)
def test_logrank_matches_r(shared, reference, name):
    ref, a = _load(shared, reference, name)
    lr = a.logrank
    assert _same(lr["chisq"], ref["logrank_chisq"])
    assert _same(lr["p"], ref["logrank_p"])
    assert lr["df"] == len(ref["arms"]) - 1


def test_median_midpoint_rule_by_hand():
    # 4 patients, events at 1, 2, 3, 4: S = .75, .5, .25, 0; S sits at exactly 0.5 on [2, 3)
    ipd = pd.DataFrame({"time": [1, 2, 3, 4], "event": [1, 1, 1, 1]})
    assert analyse(ipd).medians["median"].iloc[0] == 2.5


def test_survival_at_landmarks_by_hand():
    # events at 1 and 3, censored at 2 and 5: S(1)=3/4, S(3)=3/4*(1-1/2)=3/8
    ipd = pd.DataFrame({"time": [1, 2, 3, 5], "event": [1, 0, 1, 0]})
    s = analyse(ipd).survival_at([0.5, 1, 2.9, 3, 4, 6])["survival"].to_numpy()
    np.testing.assert_allclose(s[:5], [1, 0.75, 0.75, 0.375, 0.375])
    assert math.isnan(s[5])  # after the last follow-up


def test_rmst_by_hand_and_difference():
    # arm a: S=1 on [0,2), 0.5 on [2,4), 0 after -> RMST(3) = 2 + 0.5 = 2.5
    # arm b: no events -> RMST(3) = 3
    ipd = pd.DataFrame({"time": [2, 4, 5, 5], "event": [1, 1, 0, 0], "arm": ["a", "a", "b", "b"]})
    a = analyse(ipd, control="a")
    rm = a.rmst(3).set_index("arm")["rmst"]
    assert rm["a"] == pytest.approx(2.5)
    assert rm["b"] == pytest.approx(3.0)
    assert a.rmst_difference(3)["difference"].iloc[0] == pytest.approx(0.5)


def test_summary_frame_and_plot(shared, reference):
    import matplotlib

    matplotlib.use("Agg")
    ref, a = _load(shared, reference, "colon_death")
    sf = a.summary_frame(horizon=ref["rmst_horizon"])
    assert list(sf["arm"]) == ["Obs", "Lev+5FU", "Lev"]
    assert math.isnan(sf["hr"].iloc[0])
    r_hr = next(c["hr"] for c in ref["cox_breslow"] if c["experimental"] == "Lev")
    assert sf.set_index("arm").loc["Lev", "hr"] == pytest.approx(r_hr, rel=1e-6)
    fig = a.plot_km(at_risk_times=[0, 1000, 2000, 3000])
    texts = [t.get_text() for axis in fig.axes for t in axis.texts]
    assert "315" in texts and "304" in texts  # numbers at risk at time 0 in the table
    import matplotlib.pyplot as plt

    fig2, ax = plt.subplots()
    assert a.plot_km(ax=ax) is fig2
    plt.close("all")


def test_bad_ipd_raises():
    with pytest.raises(KMError, match="event"):
        analyse(pd.DataFrame({"time": [1, 2]}))
    with pytest.raises(KMError, match="control"):
        analyse(pd.DataFrame({"time": [1, 2], "event": [1, 0], "arm": ["a", "b"]}), control="c")
    with pytest.raises(KMError, match="0 \\(censored\\) or 1"):
        analyse(pd.DataFrame({"time": [1, 2], "event": [2, 0]}))
    with pytest.raises(KMError, match="horizon"):
        analyse(pd.DataFrame({"time": [1, 2], "event": [1, 0]})).rmst(-1)


def test_single_arm_has_km_but_no_comparison():
    ipd = pd.DataFrame({"time": [1, 2, 3, 4], "event": [1, 0, 1, 0]})
    a = analyse(ipd)
    assert a.medians["median"].iloc[0] == 3.0  # S: .75 at 1, .375 at 3
    with pytest.raises(KMError, match="two arms"):
        a.cox
    with pytest.raises(KMError, match="two arms"):
        a.logrank


def test_landmark_ci_is_r_log_ci_by_hand():
    # 4 patients, events at 1 and 2: S(1)=.75, Greenwood var(log S) = 1/(4*3) -> se = .2887
    ipd = pd.DataFrame({"time": [1, 2, 5, 5], "event": [1, 1, 0, 0]})
    row = analyse(ipd).survival_at([1]).iloc[0]
    se = math.sqrt(1 / 12)
    assert row["ci_low"] == pytest.approx(0.75 * math.exp(-1.959963984540054 * se))
    assert row["ci_high"] == pytest.approx(min(1.0, 0.75 * math.exp(1.959963984540054 * se)))
