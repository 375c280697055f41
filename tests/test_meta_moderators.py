"""Meta-regression and subgroup analysis: identities of the fixed-effect model and likelihood checks."""

import numpy as np
import pytest
from scipy import optimize, stats

from metabolero.errors import MetaAnalysisError
from metabolero.meta import metareg, pool, subgroup

from test_meta_pool import BCG_SEI, BCG_YI

# absolute latitude of the BCG trials (metafor's dat.bcg$ablat)
ABLAT = [44, 55, 42, 52, 13, 44, 19, 13, 27, 42, 18, 33, 33]
GROUP = ["north" if a > 30 else "south" for a in ABLAT]


def test_ee_subgroup_q_partition():
    """With equal effects, Q_total = Q_between + sum of Q_within (an exact identity)."""
    sg = subgroup(BCG_YI, BCG_SEI, GROUP, method="EE")
    within = sum(r.Q for r in sg.groups.values())
    assert sg.Q_between + within == pytest.approx(sg.overall.Q, abs=1e-9)
    assert sg.df == 1 and sg.pval == pytest.approx(stats.chi2.sf(sg.Q_between, 1))


def test_ee_metareg_dummy_equals_difference_of_group_means():
    y, s = np.asarray(BCG_YI), np.asarray(BCG_SEI)
    south = np.array([g == "south" for g in GROUP], dtype=float)
    m = metareg(y, s, {"south": south}, method="EE")
    north_mean = pool(y[south == 0], s[south == 0], method="EE")
    south_mean = pool(y[south == 1], s[south == 1], method="EE")
    assert m.coefficients["intercept"] == pytest.approx(north_mean.estimate, abs=1e-12)
    assert m.coefficients["south"] == pytest.approx(south_mean.estimate - north_mean.estimate, abs=1e-12)
    # with EE, the moderator test is the between-group Q of the subgroup analysis
    sg = subgroup(y, s, GROUP, method="EE")
    assert m.QM == pytest.approx(sg.Q_between, abs=1e-9)


def test_reml_metareg_maximises_restricted_likelihood(monkeypatch):
    from metabolero.meta import _core

    # iterate to convergence (metafor stops at steps below 1e-5), so the check is sharp
    monkeypatch.setattr(_core, "THRESHOLD", 1e-13)
    y, v = np.asarray(BCG_YI), np.asarray(BCG_SEI) ** 2
    X = np.column_stack([np.ones(13), ABLAT])

    def negll(t):
        w = 1 / (v + t)
        A = X.T @ (X * w[:, None])
        b = np.linalg.solve(A, X.T @ (w * y))
        r = y - X @ b
        return 0.5 * (np.log(v + t).sum() + np.linalg.slogdet(A)[1] + (w * r * r).sum())

    best = optimize.minimize_scalar(negll, bounds=(0, 2), method="bounded", options={"xatol": 1e-10}).x
    m = metareg(BCG_YI, BCG_SEI, {"ablat": ABLAT}, method="REML")
    assert m.fit.tau2 == pytest.approx(best, abs=1e-7)
    # slope by WLS at that tau2, and its z test
    w = 1 / (v + m.fit.tau2)
    b = np.linalg.solve(X.T @ (X * w[:, None]), X.T @ (w * y))
    assert m.coefficients["ablat"] == pytest.approx(b[1], abs=1e-12)
    assert m.QM == pytest.approx(m.fit.stat[1] ** 2, abs=1e-9)
    assert 0 <= m.R2 <= 100
    frame = m.summary_frame()
    assert list(frame.index) == ["intercept", "ablat"]
    assert "Test of Moderators" in m.summary()


def test_metareg_hksj_is_an_f_test():
    m = metareg(BCG_YI, BCG_SEI, {"ablat": ABLAT}, method="DL", hksj=True)
    assert m.QM_df == (1, 11)
    assert m.QM == pytest.approx(m.fit.stat[1] ** 2, abs=1e-9)
    assert m.QM_p == pytest.approx(stats.f.sf(m.QM, 1, 11), abs=1e-12)


def test_metareg_errors():
    with pytest.raises(MetaAnalysisError):
        metareg(BCG_YI, BCG_SEI, np.ones(13))          # collinear with the intercept
    with pytest.raises(MetaAnalysisError):
        metareg(BCG_YI, BCG_SEI, np.arange(5))         # wrong length
    with pytest.raises(MetaAnalysisError):
        metareg(BCG_YI[:2], BCG_SEI[:2], [1.0, 2.0])    # 2 studies, 2 coefficients + tau2


def test_subgroup_reml_per_group_fits_and_tables():
    sg = subgroup(BCG_YI, BCG_SEI, GROUP, method="REML", measure="RR")
    north = [i for i, g in enumerate(GROUP) if g == "north"]
    ref = pool([BCG_YI[i] for i in north], [BCG_SEI[i] for i in north], method="REML")
    assert sg.groups["north"].estimate == pytest.approx(ref.estimate, abs=1e-12)
    est = np.array([r.estimate for r in sg.groups.values()])
    w = 1 / np.array([r.se for r in sg.groups.values()]) ** 2
    qb = (w * (est - (w * est).sum() / w.sum()) ** 2).sum()
    assert sg.Q_between == pytest.approx(qb, abs=1e-12)
    f = sg.summary_frame()
    assert list(f.index) == ["north", "south", "overall"]
    d = sg.to_dict()
    assert d["moderator_test"]["QM_df"] == [1]
    assert "Test for subgroup differences" in sg.summary()


def test_subgroup_needs_two_groups():
    with pytest.raises(MetaAnalysisError):
        subgroup(BCG_YI, BCG_SEI, ["a"] * 13)


def test_subgroup_forest_plot(tmp_path):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    sg = subgroup(BCG_YI, BCG_SEI, GROUP, measure="RR")
    fig = sg.plot_forest(tmp_path / "sg.svg")
    assert (tmp_path / "sg.svg").stat().st_size > 5000
    assert fig.axes[0].get_xscale() == "log"
    texts = " ".join(t.get_text() for t in fig.axes[0].texts)
    assert "Test for subgroup differences" in texts and "north" in texts and "Overall (k = 13)" in texts
    plt.close(fig)


def test_bubble_plot(tmp_path):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    m = metareg(BCG_YI, BCG_SEI, {"ablat": ABLAT})
    fig = m.plot_bubble(path=tmp_path / "b.png")
    assert (tmp_path / "b.png").read_bytes()[:4] == b"\x89PNG"
    line = fig.axes[0].lines[0]
    # the drawn line is the fitted regression
    x, y = line.get_data()
    assert y[0] == pytest.approx(m.coefficients["intercept"] + m.coefficients["ablat"] * x[0])
    plt.close(fig)
    with pytest.raises(MetaAnalysisError):
        m.plot_bubble("nope")


def test_metafor_default_step_reproduces_its_documented_bcg_regression():
    """metafor's documentation prints, for rma(yi, vi, mods = ~ ablat, data = dat.bcg):
    tau^2 = 0.0764, QE(df = 11) = 30.7331, QM(df = 1) = 16.3571, R^2 = 75.62%,
    intercept 0.2515 (se 0.2491), ablat -0.0291 (se 0.0072). That is metafor's default step
    (stepadj = 1); shared/metafor was made with stepadj = 0.5, our default."""
    m = metareg(BCG_YI, BCG_SEI, {"ablat": ABLAT}, method="REML", stepadj=1.0)
    assert round(m.fit.tau2, 4) == 0.0764
    assert round(m.fit.QE, 4) == 30.7331 or round(m.fit.QE, 4) == 30.7330   # yi/sei given to 6 decimals
    # the data here are rounded to 6 decimals, which moves QM in the 5th decimal; with
    # stepadj = 0.5 QM would be 16.3548, far outside this tolerance
    assert m.QM == pytest.approx(16.3571, abs=2e-4)
    assert round(m.R2, 2) == 75.62
    assert round(m.coefficients["intercept"], 4) == 0.2515 and round(float(m.fit.se[0]), 4) == 0.2491
    assert round(m.coefficients["ablat"], 4) == -0.0291 and round(float(m.fit.se[1]), 4) == 0.0072
