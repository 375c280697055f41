"""metabolero.km: Kaplan-Meier reconstruction (Guyot 2012, summaries) and survival analysis."""
from .analysis import SurvivalAnalysis, analyse

__all__ = ["SurvivalAnalysis", "analyse"]
