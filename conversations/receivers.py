"""Inbound email (django-anymail's inbound signal) → conversations.services.inbound."""
