import logging

from oscar.apps.communication.utils import *  # noqa: F403
from oscar.apps.communication.utils import Dispatcher as OscarDispatcher

from core.sms import SmsError, send_sms
from shop.customer.selectors import customer_profile

logger = logging.getLogger(__name__)


class Dispatcher(OscarDispatcher):
    def send_text_message(self, user, event_type):
        """Oscar passes the rendered SMS text as ``event_type``. Sent only to
        a customer who gave a mobile number and agreed to SMS."""
        profile = customer_profile(user)
        number = profile.sms_number if profile else ""
        if not number:
            return None
        try:
            return send_sms(to=number, body=str(event_type))
        except SmsError:
            logger.exception("SMS to user %s failed", user.pk)
            return None
