"""The online hall's own records: applicant accounts and their verification codes, the
center's themes and announcements. Cases, files and notices of decisions belong to ``workflow``."""

from .accounts import ApplicantProfile, CodePurpose, VerificationCode
from .announcements import Announcement
from .themes import Theme, ThemeAudience

__all__ = [
    "Announcement",
    "ApplicantProfile",
    "CodePurpose",
    "Theme",
    "ThemeAudience",
    "VerificationCode",
]
