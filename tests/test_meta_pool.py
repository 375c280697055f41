"""pool() and PoolResult: independent cross-checks, edge cases, tables, text and plots."""
import json
import math

import numpy as np
import pytest
from scipy import optimize, stats

from metabolero.errors import MetaAnalysisError
from metabolero.meta import FIELDS, METHODS, PoolResult, pool
from metabolero.meta import _core

# BCG vaccine trials (Colditz 1994; metafor's dat.bcg), log RR and SE to 6 decimals
BCG_YI = [-0.889311, -1.585389, -1.348073, -1.441551, -0.217547, -0.786116, -1.620898, 0.011952,
          -0.469418, -1.371345, -0.339359, 0.445913, -0.017314]
BCG_SEI = [0.5706, 0.441114, 0.64449, 0.141457, 0.226297, 0.0831, 0.472247, 0.062941, 0.237559,
           0.270231, 0.11141, 0.72973, 0.267217]


def test_ee_and_dl_agree_with_statsmodels():
    from statsmodels.stats.meta_analysis import combine_effects

    v = np.asarray(BCG_SEI) ** 2
    sm = combine_effects(np.asarray(BCG_YI), v, method_re="dl")
    ee, dl = pool(BCG_YI, BCG_SEI, method="EE"), pool(BCG_YI, BCG_SEI, method="DL")
    assert ee.estimate == pytest.approx(sm.mean_effect_fe, abs=1e-10)
    assert ee.se == pytest.approx(sm.sd_eff_w_fe, abs=1e-10)
    assert dl.estimate == pytest.approx(sm.mean_effect_re, abs=1e-10)
    assert dl.se == pytest.approx(sm.sd_eff_w_re, abs=1e-10)
    assert dl.tau2 == pytest.approx(sm.tau2, abs=1e-10)
    assert dl.Q == pytest.approx(sm.q, abs=1e-8)


def test_pm_agrees_with_statsmodels_iterated():
    from statsmodels.stats.meta_analysis import combine_effects

    sm = combine_effects(np.asarray(BCG_YI), np.asarray(BCG_SEI) ** 2, method_re="pm", atol=1e-12, maxiter=500)
    # metafor stops its root search at tolerance eps^0.25, statsmodels iterates to 1e-12
    assert pool(BCG_YI, BCG_SEI, method="PM").tau2 == pytest.approx(sm.tau2, abs=1e-4)


@pytest.mark.parametrize("method", ["REML", "ML"])
def test_likelihood_estimators_maximise_the_likelihood(method, monkeypatch):
    """tau² of REML/ML is the maximiser of the (restricted) likelihood, written out independently."""
    default = pool(BCG_YI, BCG_SEI, method=method).tau2
    monkeypatch.setattr(_core, "THRESHOLD", 1e-13)    # iterate to convergence for a sharp check
    y, v = np.asarray(BCG_YI), np.asarray(BCG_SEI) ** 2

    def negll(t):
        w = 1 / (v + t)
        mu = (w * y).sum() / w.sum()
        ll = -0.5 * np.log(v + t).sum() - 0.5 * (w * (y - mu) ** 2).sum()
        return -(ll - 0.5 * np.log(w.sum()) if method == "REML" else ll)

    best = optimize.minimize_scalar(negll, bounds=(0, 5), method="bounded", options={"xatol": 1e-10}).x
    assert pool(BCG_YI, BCG_SEI, method=method).tau2 == pytest.approx(best, abs=1e-7)
    # metafor's stopping rule (steps below 1e-5) leaves the default within a few 1e-5
    assert default == pytest.approx(best, abs=5e-5)


def test_hand_calculation_two_studies_dl():
    # two studies, yi = 0 and 1, SE 1 each: EE mean 0.5, Q = 0.5, DL tau2 = (0.5 - 1)/... < 0 -> 0
    r = pool([0.0, 1.0], [1.0, 1.0], method="DL")
    assert r.estimate == pytest.approx(0.5) and r.Q == pytest.approx(0.5) and r.tau2 == 0
    assert r.se == pytest.approx(math.sqrt(0.5))
    assert r.pval == pytest.approx(2 * stats.norm.sf(0.5 / math.sqrt(0.5)))
    assert any("two studies" in m for m in r.messages)


def test_hksj_uses_t_with_k_minus_1_df():
    r = pool(BCG_YI, BCG_SEI, method="DL", hksj=True)
    w = 1 / (np.asarray(BCG_SEI) ** 2 + r.tau2)
    s2 = (w * (np.asarray(BCG_YI) - r.estimate) ** 2).sum() / 12
    assert r.se == pytest.approx(math.sqrt(s2 / w.sum()), abs=1e-12)
    q = stats.t.isf(0.025, 12)
    assert r.ci_high - r.estimate == pytest.approx(q * r.se, abs=1e-12)
    assert r.pi_high - r.estimate == pytest.approx(q * math.sqrt(r.se ** 2 + r.tau2), abs=1e-12)
    assert r.to_dict()["df"] == 12 and r.hksj


def test_to_dict_has_reference_field_names():
    d = pool(BCG_YI, BCG_SEI).to_dict()
    for f in FIELDS:
        assert f in d
    assert d["k"] == 13 and d["method"] == "REML" and d["hksj"] is False and isinstance(d["messages"], list)
    json.dumps(d)  # JSON-able (no NaN objects)


def test_ee_has_no_prediction_interval_or_tau2_ci():
    d = pool(BCG_YI, BCG_SEI, method="EE").to_dict()
    assert d["pi_low"] is None and d["tau2_ci_low"] is None and d["tau2"] == 0


def test_one_study_is_not_pooled_and_says_so():
    r = pool([0.3], [0.1], hksj=True)
    assert r.k == 1 and r.estimate == 0.3 and r.se == pytest.approx(0.1)
    assert r.tau2 == 0 and r.Q == 0 and r.Q_p == 1 and not r.hksj
    assert any("one study" in m for m in r.messages)
    assert "one study" in r.summary()


def test_identical_studies():
    r = pool([0.2] * 4, [0.1] * 4, method="REML", hksj=True)
    assert r.tau2 == 0 and r.I2 == 0 and r.Q == pytest.approx(0, abs=1e-20)
    assert r.estimate == pytest.approx(0.2) and r.se > 0
    assert any("identical" in m for m in r.messages)


def test_zero_heterogeneity_gives_equal_effects_answer():
    y = [0.1, 0.12, 0.09, 0.11]
    s = [0.2, 0.25, 0.3, 0.22]
    re, ee = pool(y, s, method="REML"), pool(y, s, method="EE")
    assert re.tau2 == 0 and re.estimate == pytest.approx(ee.estimate, abs=1e-14)


@pytest.mark.parametrize("bad", [0.0, -0.1, float("nan"), None])
def test_bad_se_names_the_study(bad):
    with pytest.raises(MetaAnalysisError, match="TRIAL-B"):
        pool([0.1, 0.2, 0.3], [0.1, bad if bad is not None else float("nan"), 0.2],
             studies=["TRIAL-A", "TRIAL-B", "TRIAL-C"])


def test_bad_inputs():
    with pytest.raises(MetaAnalysisError, match="method"):
        pool([0.1, 0.2], [0.1, 0.1], method="XYZ")
    with pytest.raises(MetaAnalysisError):
        pool([], [])
    with pytest.raises(MetaAnalysisError):
        pool([0.1, 0.2], [0.1])
    with pytest.raises(MetaAnalysisError, match="study 2"):
        pool([0.1, float("inf")], [0.1, 0.1])


def test_nonconvergence_retries_with_full_steps_then_falls_back(monkeypatch):
    monkeypatch.setattr(_core, "MAXITER", 1)
    r = pool(BCG_YI, BCG_SEI, method="REML")
    assert r.method == "REML" and any("full steps" in m for m in r.messages)
    assert r.tau2 == pytest.approx(0.3132430604, abs=1e-6)      # the REML maximiser (see above)
    monkeypatch.setattr(_core, "MAXITER", 0)
    r = pool(BCG_YI, BCG_SEI, method="REML")
    assert r.method == "DL" and r.requested_method == "REML"
    assert any("did not converge" in m and "DL" in m for m in r.messages)
    assert r.tau2 == pytest.approx(pool(BCG_YI, BCG_SEI, method="DL").tau2)


def test_pm_beyond_search_range_falls_back():
    r = pool([-100.0, 100.0, 0.0], [0.1, 0.1, 0.1], method="PM")
    assert r.method == "DL" and any("PM did not converge" in m for m in r.messages)


@pytest.mark.parametrize("method", METHODS)
def test_every_method_runs_and_is_consistent(method):
    r = pool(BCG_YI, BCG_SEI, method=method)
    w = 1 / (np.asarray(BCG_SEI) ** 2 + r.tau2)
    assert r.estimate == pytest.approx((w * np.asarray(BCG_YI)).sum() / w.sum(), abs=1e-12)
    assert r.weights.sum() == pytest.approx(100)


def test_cumulative_by_date_and_leave_one_out():
    r = pool(BCG_YI[:5], BCG_SEI[:5], method="DL", studies=list("ABCDE"))
    years = [1990, 1980, 1985, 1980, 2000]
    cu = r.cumulative(order=years)
    assert list(cu.index) == ["B", "D", "C", "A", "E"]   # ties keep input order
    assert cu["estimate"].iloc[0] == pytest.approx(BCG_YI[1])
    assert cu["estimate"].iloc[-1] == pytest.approx(r.estimate)
    two = pool([BCG_YI[1], BCG_YI[3]], [BCG_SEI[1], BCG_SEI[3]], method="DL")
    assert cu["estimate"].iloc[1] == pytest.approx(two.estimate)
    loo = r.leave_one_out()
    four = pool(BCG_YI[1:5], BCG_SEI[1:5], method="DL")
    assert loo.loc["A", "estimate"] == pytest.approx(four.estimate) and loo.loc["A", "tau2"] == pytest.approx(four.tau2)
    with pytest.raises(MetaAnalysisError):
        r.cumulative(order=[1, 2])
    assert list(r.cumulative(order=[2001, None, 1999, 2001, None]).index) == ["C", "A", "D", "B", "E"]


def test_egger_and_trimfill_need_three_studies():
    r = pool([0.1, 0.2], [0.1, 0.2])
    with pytest.raises(MetaAnalysisError):
        r.egger()
    with pytest.raises(MetaAnalysisError):
        r.trimfill()


def test_summary_frame_and_text():
    r = pool(BCG_YI, BCG_SEI, measure="RR", studies=[f"T{i}" for i in range(13)])
    f = r.summary_frame()
    assert len(f) == 14 and f["weight_pct"].iloc[:13].sum() == pytest.approx(100)
    assert f.loc["pooled (REML)", "RR"] == pytest.approx(math.exp(r.estimate))
    assert f.loc["T0", "ci_low"] == pytest.approx(BCG_YI[0] - stats.norm.isf(0.025) * BCG_SEI[0])
    text = r.summary()
    assert "Random-Effects Model (k = 13; tau^2 estimator: REML)" in text
    assert f"{r.tau2:.4f}" in text and f"{r.estimate:.4f}" in text and "RR = " in text


def test_level_changes_ci():
    r90 = pool(BCG_YI, BCG_SEI, level=90)
    assert r90.ci_high - r90.estimate == pytest.approx(stats.norm.isf(0.05) * r90.se)
    assert pool(BCG_YI, BCG_SEI, level=0.9).ci_high == pytest.approx(r90.ci_high)
    with pytest.raises(MetaAnalysisError):
        pool(BCG_YI, BCG_SEI, level=100)


def test_plots_write_svg_and_png(tmp_path):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    r = pool(BCG_YI, BCG_SEI, measure="RR")
    fig = r.plot_forest(tmp_path / "f.svg")
    assert (tmp_path / "f.svg").read_text().lstrip().startswith("<?xml")
    assert fig.axes[0].get_xscale() == "log"
    fig.savefig(tmp_path / "f.png")
    assert (tmp_path / "f.png").read_bytes()[:4] == b"\x89PNG"
    fig2, ax = plt.subplots()
    assert r.plot_funnel(ax=ax, trimfill=True) is fig2
    plt.close("all")
    lin = pool(BCG_YI, BCG_SEI).plot_forest()
    assert lin.axes[0].get_xscale() == "linear"
    plt.close("all")


def test_result_is_a_poolresult():
    assert isinstance(pool([0.1, 0.2, 0.3], [0.1, 0.1, 0.1]), PoolResult)


# --------------------------------------------------------------------------- properties
from hypothesis import given, settings, strategies as st  # noqa: E402

_studies = st.integers(min_value=3, max_value=12).flatmap(lambda k: st.tuples(
    st.lists(st.floats(-2, 2, allow_nan=False), min_size=k, max_size=k),
    st.lists(st.floats(0.05, 1.0, allow_nan=False), min_size=k, max_size=k)))


@settings(max_examples=40, deadline=None, derandomize=True)
@given(_studies, st.sampled_from(METHODS), st.floats(-3, 3, allow_nan=False), st.randoms(use_true_random=False))
def test_shift_and_order_do_not_change_heterogeneity(data, method, shift, rnd):
    """Adding a constant to every yi shifts the estimate by it; reordering studies changes nothing."""
    y, s = data
    base = pool(y, s, method=method)
    moved = pool([v + shift for v in y], s, method=method)
    assert moved.estimate == pytest.approx(base.estimate + shift, abs=1e-6)
    assert moved.tau2 == pytest.approx(base.tau2, abs=1e-6)
    assert moved.se == pytest.approx(base.se, abs=1e-6)
    idx = list(range(len(y)))
    rnd.shuffle(idx)
    perm = pool([y[i] for i in idx], [s[i] for i in idx], method=method)
    assert perm.tau2 == pytest.approx(base.tau2, abs=1e-6)
    assert perm.estimate == pytest.approx(base.estimate, abs=1e-6)
    if base.method == "PM":
        # Q(tau2_PM) = k-1 lies between the chi-square critical values, so the Q-profile CI holds it
        assert base.tau2_ci_low - 1e-9 <= base.tau2 <= base.tau2_ci_high + 1e-9
    if base.method != "EE":
        assert 0 <= base.I2 < 100
