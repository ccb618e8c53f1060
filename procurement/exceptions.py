class ProcurementError(Exception):
    """A business rule refused the change; ``message`` is for the person."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message
