"""The online hall's own records: applicant accounts and their verification codes, the
center's notices. Cases, files and notices of decisions belong to ``workflow``."""

from .announcements import Announcement
from .themes import Theme, ThemeAudience

__all__ = ["Announcement", "Theme", "ThemeAudience"]
