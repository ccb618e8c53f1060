from . import documents, payments  # noqa: F401
