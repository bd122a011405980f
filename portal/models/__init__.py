"""The online hall's own records: applicant accounts and their verification codes, the
center's themes and announcements, an applicant's last look at their cases, the questions
applicants ask about items. Cases, files and notices of decisions belong to ``workflow``."""

from .accounts import ApplicantProfile, CodePurpose, VerificationCode
from .announcements import Announcement
from .consultations import Consultation, ConsultationStatus
from .themes import Theme, ThemeAudience
from .visits import CaseListVisit

__all__ = [
    "Announcement",
    "ApplicantProfile",
    "CaseListVisit",
    "CodePurpose",
    "Consultation",
    "ConsultationStatus",
    "Theme",
    "ThemeAudience",
    "VerificationCode",
]
