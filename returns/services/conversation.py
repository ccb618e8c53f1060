"""Each return's and claim's thread, in the conversations app: opened with
the request (the customer's comment and photos as its first message), and
staff's decisions posted to it as their messages. The customer's email
about the decision is the move's (returns.services.returns.notify_customer,
which quotes the message): the post itself emails nobody."""

from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext as _

from conversations.models import ConversationKind
from conversations.services import conversation_open, message_post
from procurement.services.requests import FileInput
from procurement.services.uploads import check_upload
from returns.exceptions import ReturnError
from returns.models import Return


def photos_checked(uploads) -> list[FileInput]:
    """Photos or PDFs checked from their content as quote files are (size,
    type, no executable): one refused file refuses the claim with its reason."""
    checked = []
    for upload in uploads:
        try:
            checked.append(FileInput(checked=check_upload(upload), name=upload.name))
        except ValidationError as exc:
            raise ReturnError(" ".join(exc.messages)) from None
    return checked


def thread_open(obj, *, body: str = "", attachments=()) -> None:
    """Open the thread of a return or a claim, with the customer's first words."""
    is_return = isinstance(obj, Return)
    with translation.override(obj.language):
        subject = (
            _("Return request on order %(number)s")
            if is_return
            else _("Delivery claim on order %(number)s")
        ) % {"number": obj.order.number}
    obj.conversation = conversation_open(
        kind=ConversationKind.RETURN if is_return else ConversationKind.CLAIM,
        subject=subject,
        customer=obj.customer,
        order=obj.order,
        language=obj.language,
    )
    obj.save(update_fields=["conversation"])
    attachments = list(attachments)
    if body.strip() or attachments:
        message_post(
            conversation=obj.conversation,
            body=body,
            author=obj.customer,
            attachments=attachments,
        )


def staff_message(obj, *, by, body: str) -> None:
    """Staff's message to the customer about their return or claim."""
    if not body.strip() or obj.conversation_id is None:
        return
    message_post(conversation=obj.conversation, body=body, author=by, by_staff=True, notify=False)
