"""The online hall's own records: applicant accounts and their verification codes, the
center's notices. Cases, files and notices of decisions belong to ``workflow``."""

from .visits import CaseListVisit

__all__ = ["CaseListVisit"]
