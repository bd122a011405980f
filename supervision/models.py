"""Supervision models arrive with the supervision issue."""
