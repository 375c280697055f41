"""Reconstruction accuracy on real trials (../shared/ipd), as Guyot et al. (2012) tested it.

For every arm: the KM curve is digitised as a reader would (both corners of each drop,
40-150 points, about one pixel of noise; fixed seeds), with a numbers-at-risk table at
regular times and the total events; it is reconstructed and compared with the original
IPD (R-equivalent statistics from metabolero.km.analyse, themselves checked against R
in test_km_analysis.py). Targets of issue 5 on datasets with >= 50 patients per arm, in
their PLAIN definitions: HR within 3% of the original's and under 2% on average; medians
within max(2%, one time unit) of the true ones (or both not reached); |S(t) - S_true(t)|
<= 0.01 at exactly the risk-table times; RMST within 1%. The lenient definitions of the
first version (metabolero/km/accuracy.py) are asserted too, as they were.
"""
import pytest

from metabolero.km.accuracy import accuracy_table


@pytest.fixture(scope="module")
def table(shared):
    t = accuracy_table(shared / "ipd")
    return t[t["min_arm_n"] >= 50]


def test_six_datasets_qualify(table):
    assert sorted(table["dataset"].unique()) == sorted(
        ["veteran", "colon_death", "colon_recurrence", "pbc", "cgd", "gbsg"])


def test_every_arm_was_digitised_with_40_to_150_points(table):
    assert table["points"].between(40, 150).all()


def test_hazard_ratios(table):
    per_dataset = table.dropna(subset=["hr_err_pct"]).groupby("dataset")["hr_err_pct"].max()
    assert (per_dataset <= 3.0).all(), per_dataset.to_dict()
    assert per_dataset.mean() < 2.0


def test_medians_plain(table):
    bad = table[~table["median_ok_plain"]]
    assert bad.empty, bad[["dataset", "arm", "median_true", "median_rec"]].to_dict("records")


def test_survival_at_risk_table_times(table):
    plain = table.set_index(["dataset", "arm"])["max_s_err_plain"]
    assert (plain <= 0.01).all(), plain[plain > 0.01].to_dict()


def test_survival_at_risk_table_times_when_a_drop_falls_on_a_table_time(table):
    # veteran standard arm: the true curve drops exactly ON the day-100 (and day-200)
    # risk-table times, and the digitised corners of that drop average just after day 100;
    # a drop read within click noise after a table time is put on it (reconstruct.py,
    # _snap_to_table). It was 0.0143 before that rule.
    plain = table.set_index(["dataset", "arm"])["max_s_err_plain"]
    assert plain[("veteran", "standard")] <= 0.01, plain[("veteran", "standard")]


def test_rmst(table):
    assert (table["rmst_err_pct"] <= 1.0).all(), table[["dataset", "arm", "rmst_err_pct"]].to_dict("records")


def test_lenient_definitions_of_the_first_version(table):
    # S(t) against the true curve within the digitiser's time resolution of t; medians also
    # accepted inside the stretch where the true curve is within 0.005 of 0.5
    assert (table["max_s_err"] <= 0.01).all(), table[["dataset", "arm", "max_s_err"]].to_dict("records")
    assert table["median_ok"].all()
