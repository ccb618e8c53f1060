"""Errors of the documents' rules, with messages staff and customers can read."""


class DocumentError(Exception):
    """A document cannot be issued (or re-sent) as asked."""


class DocumentTampered(DocumentError):
    """A stored PDF no longer matches the checksum recorded when it was
    issued: it is never served, sent or exported."""
