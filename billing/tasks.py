"""Celery finds the tasks here; each lives beside its service."""
