"""Guyot reconstruction on hand-made curves: what digitising really gives, and bad input."""
import numpy as np
import pandas as pd
import pytest

from metabolero.errors import KMError
from metabolero.km import clean_curve, reconstruct, reconstruct_arm
from metabolero.km.simulate import digitise_arm

# 10 patients: events at 1, 2, 2, 4, 6; censored at 3, 5, 7, 8, 8.
# KM by hand: S(1)=9/10=.9, S(2)=.9*(1-2/9)=.7, S(4)=.7*(1-1/6)=7/12, S(6)=7/12*(1-1/4)=7/16
TIMES = np.array([1, 2, 2, 4, 6, 3, 5, 7, 8, 8], float)
EVENTS = np.array([1, 1, 1, 1, 1, 0, 0, 0, 0, 0])
STEPS = [(1, 1.0, 0.9), (2, 0.9, 0.7), (4, 0.7, 7 / 12), (6, 7 / 12, 7 / 16)]


def _corner_curve():
    pts = [(0.0, 1.0)]
    for t, top, bottom in STEPS:
        pts += [(t, top), (t, bottom)]
    pts.append((8.0, 7 / 16))
    return pd.DataFrame(pts, columns=["time", "survival"])


def _risk(times):
    n = [int((TIMES >= t).sum()) for t in times]
    return pd.DataFrame({"time": times, "n_at_risk": n})


def test_exact_corners_give_the_hand_computed_events():
    ipd = reconstruct(_corner_curve(), _risk([0, 3, 6]), events=5)
    assert len(ipd) == 10
    ev = ipd[ipd["event"] == 1]["time"].to_numpy()
    np.testing.assert_allclose(np.sort(ev), [1, 2, 2, 4, 6])
    assert ipd.attrs["method"] == "Guyot 2012"


def test_numbers_at_risk_are_met():
    rec = reconstruct_arm(_corner_curve(), _risk([0, 3, 6]), events=5)
    np.testing.assert_array_equal(rec.risk_fit["reconstructed"], rec.risk_fit["published"])
    assert rec.warnings == ()


def test_unsorted_percent_and_missing_origin_give_the_same_ipd():
    base = reconstruct(_corner_curve(), _risk([0, 3, 6]), events=5)
    messy = _corner_curve().iloc[1:]  # no (0, 1) point
    messy = messy.assign(survival=messy["survival"] * 100).sample(frac=1, random_state=3)
    got = reconstruct(messy, _risk([0, 3, 6]), events=5)
    pd.testing.assert_frame_equal(got.reset_index(drop=True), base.reset_index(drop=True))


def test_small_wiggle_is_repaired():
    curve = _corner_curve()
    # a click a hair above the previous level on the flat after the first drop
    wiggle = pd.concat([curve, pd.DataFrame({"time": [1.5], "survival": [0.903]})])
    t, s = clean_curve(wiggle)
    assert np.all(np.diff(s) <= 0) and np.all(np.diff(t) >= 0)
    ipd = reconstruct(wiggle, _risk([0, 3, 6]), events=5)
    assert int(ipd["event"].sum()) == 5 and len(ipd) == 10


def test_only_the_starting_number_and_total_events():
    ipd = reconstruct(_corner_curve(), _risk([0]), events=5)
    assert len(ipd) == 10
    assert int(ipd["event"].sum()) == 5


def test_last_interval_after_last_risk_time_keeps_everyone():
    rec = reconstruct_arm(_corner_curve(), _risk([0, 2.5]))
    assert len(rec.ipd) == 10
    assert rec.ipd["time"].max() <= 8.0


def test_risk_rows_after_the_curve_are_ignored_with_a_warning():
    risk = pd.concat([_risk([0, 3]), pd.DataFrame({"time": [20.0], "n_at_risk": [0]})])
    rec = reconstruct_arm(_corner_curve(), risk, events=5)
    assert any("after the last digitised point" in w for w in rec.warnings)
    assert len(rec.ipd) == 10


def test_noisy_digitisation_of_a_simulated_arm_tracks_the_truth():
    rng = np.random.default_rng(7)
    t_ev, t_c = rng.exponential(20, 400), rng.uniform(5, 50, 400)
    time, event = np.minimum(t_ev, t_c), (t_ev <= t_c).astype(int)
    dig = digitise_arm(time, event, seed=11, percent=True)
    ipd = reconstruct(dig.curve, dig.at_risk, dig.events)
    assert len(ipd) == 400
    assert int(ipd["event"].sum()) == dig.events
    # numbers at risk at the table's times (time >= t) as published
    srt = np.sort(ipd["time"].to_numpy())
    n_rec = srt.size - np.searchsorted(srt, dig.at_risk["time"].to_numpy(), side="left")
    assert np.abs(n_rec - dig.at_risk["n_at_risk"].to_numpy()).max() <= 1


@pytest.mark.parametrize("curve, risk, match", [
    (pd.DataFrame({"t": [0, 1], "survival": [1, 0.5]}), _risk([0]), "missing column\\(s\\) time"),
    (pd.DataFrame({"time": [0, "x"], "survival": [1, 0.5]}), _risk([0]), "column time, row 2"),
    (pd.DataFrame({"time": [0, 1], "survival": [1, 500]}), _risk([0]), "percents"),
    (_corner_curve(), pd.DataFrame({"time": [1], "n_at_risk": [10]}), "row at time 0"),
    (_corner_curve(), pd.DataFrame({"time": [0, 2], "n_at_risk": [5, 8]}), "cannot rise"),
    (_corner_curve(), pd.DataFrame({"time": [0], "n": [10]}), "n_at_risk"),
])
def test_bad_input_raises_kmerror_naming_the_problem(curve, risk, match):
    with pytest.raises(KMError, match=match):
        reconstruct(curve, risk)


def test_bad_events_raises():
    with pytest.raises(KMError, match="events"):
        reconstruct(_corner_curve(), _risk([0]), events=11)


def test_simulated_digitisation_is_deterministic_and_shaped_like_a_reading():
    rng = np.random.default_rng(2)
    time, event = rng.exponential(10, 200), rng.integers(0, 2, 200)
    a = digitise_arm(time, event, seed=4)
    b = digitise_arm(time, event, seed=4)
    pd.testing.assert_frame_equal(a.curve, b.curve)
    assert 40 <= len(a.curve) <= 150
    assert a.at_risk["time"].iloc[0] == 0 and a.at_risk["n_at_risk"].iloc[0] == 200
    assert a.events == int(event.sum())
    grid = digitise_arm(time, event, seed=4, n_points=60, style="grid", shuffle=False)
    assert len(grid.curve) == 60 and grid.curve["time"].is_monotonic_increasing


def test_without_reported_events_everyone_leaves_by_the_end_of_the_curve():
    # risk table at 0 and 3 only; after 3 the curve drops once more at 4 and ends at 8
    rec = reconstruct_arm(_corner_curve(), _risk([0, 3]))
    ipd = rec.ipd
    assert len(ipd) == 10
    ev = np.sort(ipd.loc[ipd["event"] == 1, "time"].to_numpy())
    np.testing.assert_allclose(ev, [1, 2, 2, 4, 6])
    assert ipd["time"].max() <= 8.0


@pytest.mark.parametrize("seed", range(4))
def test_ipd_reproduces_the_fitted_km_and_the_published_numbers_at_risk(seed):
    # the IPD's own KM (statsmodels) must be the KM the fit matched to the digitised points,
    # and its numbers at risk the published ones: events of a drop placed midway between
    # its noisy corners must stay on the fit's side of censorings and risk-table times
    from metabolero.km.simulate import km_steps

    rng = np.random.default_rng(seed)
    t_ev, t_c = rng.exponential(40, 600), rng.uniform(0, 60, 600)
    time, event = np.minimum(t_ev, t_c), (t_ev <= t_c).astype(int)
    dig = digitise_arm(time, event, seed=seed)
    rec = reconstruct_arm(dig.curve, dig.at_risk, dig.events)
    et, es = km_steps(rec.ipd["time"].to_numpy(), rec.ipd["event"].to_numpy())
    pts = rec.table[rec.table["time"] < rec.risk_fit["time"].iloc[-1]]
    idx = np.searchsorted(et, pts["time"].to_numpy(), side="right") - 1
    km_ipd = np.where(idx >= 0, es[np.maximum(idx, 0)], 1.0)
    np.testing.assert_allclose(km_ipd, pts["km"].to_numpy(), atol=1e-9)
    np.testing.assert_array_equal(rec.risk_fit["reconstructed"], rec.risk_fit["published"])


def test_curve_mixing_fractions_and_percents_is_refused():
    import pandas as pd

    from metabolero.errors import KMError
    from metabolero.km import reconstruct

    curve = pd.DataFrame({"time": [0, 1, 2, 3], "survival": [1.0, 1.8, 0.9, 0.5]})
    at_risk = pd.DataFrame({"time": [0], "n_at_risk": [100]})
    with pytest.raises(KMError, match="mixes fractions"):
        reconstruct(curve, at_risk)


def _tie_curve(clicks_at_50):
    # 100 patients, one death at each of 10, 20, ..., 90 (times in whole days), each drop
    # clicked at its two corners with a little time noise; the drop at 50 is read at
    # ``clicks_at_50`` (top, bottom)
    spread = [(-0.05, 0.05), (0.1, -0.05), (-0.1, 0.1), (0.15, -0.15), None, (-0.25, 0.25),
              (0.3, -0.3), (-0.4, 0.4), (0.45, -0.5)]
    pts, level, n = [(0.0, 1.0)], 1.0, 100
    for T, sp in zip(range(10, 100, 10), spread):
        top, bottom = level, level * (1 - 1 / n)
        ta, tb = clicks_at_50 if sp is None else (T + sp[0], T + sp[1])
        pts += [(ta, top), (tb, bottom)]
        level, n = bottom, n - 1
    pts.append((100.0, level))
    return pd.DataFrame(pts, columns=["time", "survival"])


def _tie_risk():
    return pd.DataFrame({"time": [0, 25, 50, 75], "n_at_risk": [100, 98, 96, 93]})


def test_drop_read_just_after_a_risk_table_time_is_put_on_it():
    # the corners of the day-50 drop average 50.2, within click noise of the table time:
    # the death is put at 50, so S(50) shows it and it is still at risk at 50
    rec = reconstruct_arm(_tie_curve((50.05, 50.35)), _tie_risk(), events=9)
    ev = np.sort(rec.ipd.loc[rec.ipd["event"] == 1, "time"].to_numpy())
    assert 50.0 in ev
    np.testing.assert_array_equal(rec.risk_fit["reconstructed"], rec.risk_fit["published"])


def test_drop_read_well_after_a_risk_table_time_stays_after_it():
    rec = reconstruct_arm(_tie_curve((52.0, 52.4)), _tie_risk(), events=9)
    ev = np.sort(rec.ipd.loc[rec.ipd["event"] == 1, "time"].to_numpy())
    assert 50.0 not in ev and np.any(np.abs(ev - 52.2) < 1e-9)


def test_click_noise_is_estimated_from_corner_pairs_and_not_from_an_even_grid():
    from metabolero.km.reconstruct import click_noise

    t, _ = clean_curve(_tie_curve((50.05, 50.35)))
    assert 0.2 < click_noise(t) < 2.0
    grid = digitise_arm(TIMES, EVENTS, seed=4, n_points=60, style="grid", shuffle=False)
    t, _ = clean_curve(grid.curve)
    assert click_noise(t) == 0.0


def test_end_of_follow_up_is_never_moved_onto_a_risk_table_time():
    # the curve's last point (end of follow-up, a hair below the flat by noise) is read
    # just after the last risk-table time: it stays the end of the curve
    curve = _tie_curve((50.05, 50.35))
    level = curve["survival"].iloc[-1]
    curve = pd.concat([curve.iloc[:-1], pd.DataFrame({"time": [99.3, 100.0],
                                                      "survival": [level, level - 1e-4]})])
    risk = pd.DataFrame({"time": [0, 25, 50, 75, 99.5], "n_at_risk": [100, 98, 96, 93, 91]})
    rec = reconstruct_arm(curve, risk, events=9)
    assert len(rec.ipd) == 100 and 99.5 < rec.ipd["time"].max() <= 100.0
    assert 50.0 in rec.ipd.loc[rec.ipd["event"] == 1, "time"].to_numpy()
    np.testing.assert_array_equal(rec.risk_fit["reconstructed"], rec.risk_fit["published"])


def test_last_drop_read_across_the_last_risk_table_time_does_not_crash():
    # the curve ends with the drop at 6, its corners clicked at 5.97 and 6.01 (midpoint
    # before 6): the risk-table row at 6 has no point left to fit and is ignored
    pts = [(0.0, 1.0)]
    for t, top, bottom in STEPS[:-1]:
        pts += [(t, top), (t, bottom)]
    pts += [(5.97, 7 / 12), (6.01, 7 / 16)]
    curve = pd.DataFrame(pts, columns=["time", "survival"])
    rec = reconstruct_arm(curve, _risk([0, 3, 6]), events=5)
    assert len(rec.ipd) == 10
    assert any("6.0" in w for w in rec.warnings)


def test_two_drops_read_just_after_one_risk_table_time_leave_the_first_on_it():
    # two deaths just after t = 10, read as top, bottom, bottom (the second drop's top corner is the
    # first one's bottom): the first is put on 10, the second stays where read; no point is moved
    # back off the table time and times stay in order
    from metabolero.km.reconstruct import _snap_to_table

    t = np.array([0, 2.0, 2.001, 4.0, 4.02, 6.0, 6.004, 8.0, 8.03, 10.0005, 10.001, 10.0015,
                  12.0, 12.01, 14.0, 14.005, 16.0])
    s = np.array([1, 1, .95, .95, .9, .9, .85, .85, .8, .8, .75, .7, .7, .65, .65, .6, .6])
    moved, on_table = _snap_to_table(t, s, np.array([0.0, 5, 10, 15]))
    assert np.all(moved[on_table] == 10.0) and on_table.sum() == 1
    assert moved[10] == 10.0 and moved[11] == 10.0015 and moved[9] < 10.0
    assert np.all(np.diff(moved) >= 0)
