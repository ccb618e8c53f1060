"""Each return's and claim's thread, in the conversations app: opened with
the request, and staff's decisions posted to it as their messages."""


def thread_open(obj, *, body: str = "", attachments=()) -> None:
    """Open the thread of a return or a claim (wired to conversations)."""


def staff_message(obj, *, by, body: str) -> None:
    """Staff's message to the customer about their return or claim."""
