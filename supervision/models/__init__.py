"""Electronic supervision (电子监察): the rules in force, the alerts the scan raises, the urge
notices the office sends, the corrections it records, the figures of the monitoring room and
the exports of its lists."""

from .alerts import Alert, AlertLevel, AlertRule, DepartmentFigures
from .corrections import AppealReview, Correction, CorrectionOutcome
from .exports import ExportJob, ExportStatus
from .rules import RuleSet, RuleThreshold
from .urges import Urge, UrgeCase, UrgeStatus

__all__ = [
    "Alert",
    "AlertLevel",
    "AlertRule",
    "AppealReview",
    "Correction",
    "CorrectionOutcome",
    "DepartmentFigures",
    "ExportJob",
    "ExportStatus",
    "RuleSet",
    "RuleThreshold",
    "Urge",
    "UrgeCase",
    "UrgeStatus",
]
