"""metabolero.km: Kaplan-Meier reconstruction (Guyot 2012, summaries) and survival analysis.

* :func:`reconstruct` — pseudo-IPD (time, event) of one arm from a digitised curve and its
  numbers at risk (Guyot et al. 2012); :func:`reconstruct_arm` keeps the intermediate fit.
* :func:`from_summary` — APPROXIMATE pseudo-IPD from a median/landmarks/HR under an
  exponential or Weibull model.
* :func:`analyse` — :class:`SurvivalAnalysis` of IPD: KM, R-style medians with CI,
  landmarks, Cox HR (Breslow), log-rank, RMST, KM plot with numbers at risk.
* :func:`hr_from_figure` — HR of a digitised figure (reconstruct each arm, then Cox).
"""
from .analysis import SurvivalAnalysis, analyse
from .figure import hr_from_figure, reconstruct_figure
from .reconstruct import Reconstruction, clean_at_risk, clean_curve, reconstruct, reconstruct_arm
from .summary import ParametricSurvival, fit_parametric, from_summary

__all__ = [
    "SurvivalAnalysis", "analyse", "hr_from_figure", "reconstruct_figure", "Reconstruction",
    "clean_at_risk", "clean_curve", "reconstruct", "reconstruct_arm", "ParametricSurvival",
    "fit_parametric", "from_summary",
]
