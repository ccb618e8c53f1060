"""Writes of the orders app. Views, admin actions and Celery tasks call these."""
