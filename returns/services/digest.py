"""The daily digest of refunds past their deadline (the 7-business-day
promise), emailed to staff through the outbox; once per recipient and day."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy

from returns.selectors import return_refund_deadline, returns_past_due

from . import emails


def digest_recipients() -> list[str]:
    if settings.COMPTOIR_RETURNS_DIGEST_TO:
        return list(settings.COMPTOIR_RETURNS_DIGEST_TO)
    users = get_user_model().objects.filter(is_staff=True, is_active=True).exclude(email="")
    return list(users.order_by("pk").values_list("email", flat=True))


def refunds_late_digest(*, today=None) -> int:
    """Beat job (daily): staff get the returns whose refund is past due.
    Running it twice a day sends nothing more. Returns how many are late."""
    today = today or timezone.localdate()
    late = returns_past_due(today=today)
    if not late:
        return 0
    rows = [{"ret": ret, "deadline": return_refund_deadline(ret)} for ret in late]
    with transaction.atomic():
        for recipient in digest_recipients():
            emails.email_queue(
                key=f"digest:{today.isoformat()}:{recipient}",
                to=recipient,
                subject=gettext_lazy("%(count)d return(s) past their refund deadline"),
                params={"count": len(late)},
                template="refunds_digest",
                context={"rows": rows, "today": today, "name": recipient},
                language=settings.LANGUAGE_CODE,
                about=None,
            )
    return len(late)
