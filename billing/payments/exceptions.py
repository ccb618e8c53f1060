class PaymentError(Exception):
    """A payment rule refused the change; ``message`` is for the person."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message
