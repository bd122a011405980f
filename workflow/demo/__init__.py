"""The demo city's cases and applicants, loaded by ``manage.py load_demo`` after the catalog.

``cases`` plays a few hundred cases through the services; ``applicants`` makes the people and
companies who apply; ``timeline`` dates them before the load and plays them in order.
"""

from .cases import APPLICANT_USERNAME, demo_cases_load, demo_status_counts

__all__ = ["APPLICANT_USERNAME", "demo_cases_load", "demo_status_counts"]
