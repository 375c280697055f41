"""Deriving log effects and SEs: hand calculations, round trips, R survival's coxph, and failure modes."""
import json
import math

import pandas as pd
import pytest

from metabolero.errors import MetaAnalysisError
from metabolero.meta import effects as fx
from metabolero.records import Ratio

Z975 = 1.959963984540054  # qnorm(0.975)


def test_ci_95_hand_calculation():
    # CI from 1/e to e on the ratio scale: log CI is [-1, 1], so SE = 1 / z_0.975
    d = fx.from_ci(math.exp(-1), math.exp(1), 1.0)
    assert d.yi == 0.0
    assert d.sei == pytest.approx(1 / Z975, abs=1e-12)
    assert d.method == "CI" and d.flags == ()


def test_ci_90_uses_its_own_quantile():
    d = fx.from_ci(math.exp(-1), math.exp(1), 1.0, level=90)
    assert d.sei == pytest.approx(1 / 1.6448536269514722, abs=1e-12)   # qnorm(0.95)
    assert "90" in d.method


def test_ci_real_example():
    # HR 0.70 (0.55-0.89): SE = (ln 0.89 - ln 0.55) / 3.919928 = 0.122784
    d = fx.from_ci(0.55, 0.89, 0.70)
    assert d.yi == pytest.approx(-0.356675, abs=1e-6)
    assert d.sei == pytest.approx(0.122784, abs=1e-6)


def test_ci_flags_estimate_outside_and_missing_estimate():
    assert fx.from_ci(0.5, 0.8, 0.9).flags[0].code == "ci_excludes_estimate"
    d = fx.from_ci(0.5, 0.8)
    assert d.yi == pytest.approx(math.log(math.sqrt(0.4)), abs=1e-12)
    assert d.flags[0].code == "estimate_from_ci"


@pytest.mark.parametrize("lo,hi", [(0.9, 0.5), (0.0, 0.5), (-1, 2), (None, 1.0)])
def test_ci_invalid(lo, hi):
    with pytest.raises(MetaAnalysisError):
        fx.from_ci(lo, hi, 0.7)


def test_exact_p_round_trip():
    # log HR -0.5 with SE 0.25 gives z = -2 and two-sided p = 0.04550026 (R: 2*pnorm(-2))
    d = fx.from_p(math.exp(-0.5), 0.04550026389635842)
    assert d.yi == pytest.approx(-0.5, abs=1e-12)
    assert d.sei == pytest.approx(0.25, abs=1e-9)
    assert d.method == fx.M_P


def test_p_bound_is_conservative_and_flagged():
    exact = fx.from_p(0.6, 0.0001)
    bound = fx.from_p_bound(0.6, 0.001, "<")
    assert bound.sei > exact.sei               # a bound can only overstate the SE
    assert bound.sei == pytest.approx(abs(math.log(0.6)) / 3.2905267314918945, abs=1e-12)  # qnorm(1-0.0005)
    assert bound.flags[0].code == "p_bound"
    with pytest.raises(MetaAnalysisError):
        fx.from_p_bound(0.6, 0.05, ">")


@pytest.mark.parametrize("est,p", [(1.0, 0.5), (0.7, 0.0), (0.7, 1.0), (0.7, 1.5)])
def test_p_undefined(est, p):
    with pytest.raises(MetaAnalysisError):
        fx.from_p(est, p)


def test_events_parmar():
    # 1:1 allocation, 100 events: V = 100/4 = 25, SE = 0.2
    d = fx.from_events(0.8, 100)
    assert d.sei == pytest.approx(0.2, abs=1e-12)
    # 2:1 allocation, 90 events: V = 90*2/9 = 20
    assert fx.from_events(0.8, 90, 2.0).sei == pytest.approx(1 / math.sqrt(20), abs=1e-12)
    assert fx.from_events_per_arm(0.8, 40, 60).sei == pytest.approx(math.sqrt(1 / 40 + 1 / 60), abs=1e-12)


def test_o_minus_e():
    d = fx.from_o_minus_e(-10.0, 25.0)
    assert d.yi == pytest.approx(-0.4) and d.sei == pytest.approx(0.2)


def test_medians_exponential_flagged():
    # exponential: hazard = ln2/median, so HR(exp vs ctrl) = median_ctrl / median_exp
    d = fx.from_medians(20.0, 10.0, 50, 70)
    assert d.yi == pytest.approx(math.log(0.5))
    assert d.sei == pytest.approx(math.sqrt(1 / 50 + 1 / 70))
    assert d.flags[0].code == "exponential_approximation"
    with pytest.raises(MetaAnalysisError):
        fx.from_medians(20.0, 10.0)


def test_counts_or_rr_as_metafor_escalc():
    # escalc(measure="OR", ai=12, bi=88, ci=20, di=80): log(12*80/(88*20)), vi = 1/12+1/88+1/20+1/80
    d = fx.log_or_from_counts(12, 88, 20, 80)
    assert d.yi == pytest.approx(math.log(960 / 1760), abs=1e-12)
    assert d.sei == pytest.approx(math.sqrt(1 / 12 + 1 / 88 + 1 / 20 + 1 / 80), abs=1e-12)
    r = fx.log_rr_from_counts(12, 100, 20, 100)
    assert r.yi == pytest.approx(math.log(0.6)) and r.sei == pytest.approx(math.sqrt(1 / 12 - 1 / 100 + 1 / 20 - 1 / 100))
    z = fx.log_or_from_counts(0, 50, 5, 45)
    assert z.yi == pytest.approx(math.log(0.5 * 45.5 / (50.5 * 5.5)))
    assert z.flags[0].code == "continuity_correction"


def test_ipd_cox_matches_r_coxph(shared):
    ref = json.loads((shared / "ipd" / "reference.json").read_text())
    for name in ("veteran", "gbsg", "ovarian"):
        df = pd.read_csv(shared / "ipd" / f"{name}.csv")
        cox = ref[name]["cox_breslow"][0]
        d = fx.from_ipd(df["time"], df["event"], df["arm"], control=ref[name]["control"])
        assert d.yi == pytest.approx(cox["log_hr"], abs=1e-6), name
        assert d.sei == pytest.approx(cox["se_log_hr"], abs=1e-6), name


def test_ipd_needs_two_arms():
    with pytest.raises(MetaAnalysisError):
        fx.from_ipd([1, 2, 3], [1, 0, 1], ["a", "b", "c"])


def test_derive_from_ratio_routes():
    ci = fx.derive_from_ratio(Ratio("HR", "PFS", 0.7, 0.55, 0.89))
    assert ci.method == "CI" and ci.sei == pytest.approx(0.122784, abs=1e-6)
    p = fx.derive_from_ratio(Ratio("HR", "OS", math.exp(-0.5), p_value=0.04550026389635842, p_relation="="))
    assert p.method == fx.M_P and p.sei == pytest.approx(0.25, abs=1e-9)
    b = fx.derive_from_ratio(Ratio("HR", "OS", 0.6, p_value=0.001, p_relation="<"))
    assert b.method == fx.M_P_BOUND and b.flags[0].code == "p_bound"
    assert fx.derive_from_ratio(Ratio("HR", "OS", 0.6, p_value=0.001, p_relation="<"), allow_p_bound=False) is None
    assert fx.derive_from_ratio(Ratio("HR", "OS", 0.6)) is None
    assert fx.derive_from_ratio(Ratio("HR", "OS", 0.6, p_value=0.2, p_relation=">")) is None
    # a 97.5% CI is honoured
    d = fx.derive_from_ratio(Ratio("HR", "OS", 1.0, math.exp(-1), math.exp(1), ci_level=97.5))
    assert d.sei == pytest.approx(1 / 2.241402727604947, abs=1e-12)  # qnorm(0.9875)


def test_derived_is_picklable_and_frozen():
    import pickle

    d = fx.from_p_bound(0.6, 0.001)
    assert pickle.loads(pickle.dumps(d)) == d
    with pytest.raises(Exception):
        d.yi = 0.0
