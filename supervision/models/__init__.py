"""Electronic supervision (电子监察): the rules in force, the alerts the scan raises, the urge
notices the office sends, the corrections it records, the figures of the monitoring room, the
exports of its lists, the ratings and their rectifications, the complaints and the performance
reports."""

from .alerts import Alert, AlertLevel, AlertRule, DepartmentFigures
from .complaints import Complaint, ComplaintCategory, ComplaintChannel, ComplaintStatus
from .corrections import AppealReview, Correction, CorrectionOutcome
from .exports import ExportJob, ExportStatus
from .performance import DailySummary, Grade, PerformanceMonth, PerformanceRow, ReportKind
from .ratings import (
    AppealDecision,
    Kiosk,
    Rating,
    RatingChannel,
    Rectification,
    RectificationStatus,
)
from .rules import RuleSet, RuleThreshold
from .urges import Urge, UrgeCase, UrgeStatus

__all__ = [
    "Alert",
    "AppealDecision",
    "Complaint",
    "ComplaintCategory",
    "ComplaintChannel",
    "ComplaintStatus",
    "DailySummary",
    "Grade",
    "Kiosk",
    "PerformanceMonth",
    "PerformanceRow",
    "Rating",
    "RatingChannel",
    "Rectification",
    "RectificationStatus",
    "ReportKind",
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
