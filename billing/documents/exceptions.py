"""Errors of the documents' rules, with messages staff and customers can read."""


class DocumentError(Exception):
    """A document cannot be issued (or re-sent) as asked."""
