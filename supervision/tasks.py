"""Supervision's Celery tasks: they take ids, are safe to run twice and call a service."""
