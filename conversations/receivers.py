"""Inbound email: django-anymail's ``inbound`` signal (sent by its webhook
views once the provider's signature or basic auth is checked; README,
"After-sales") → conversations.services.inbound."""

from anymail.signals import inbound
from django.dispatch import receiver

from .services.inbound import InboundEmail, inbound_email_receive


@receiver(inbound, dispatch_uid="conversations.inbound")
def email_received(sender, event, esp_name, **kwargs):
    message = event.message
    recipients = [message.envelope_recipient or ""]
    recipients += [str(address) for address in message.to] + [str(a) for a in message.cc]
    provider_id = message.get("Message-ID") or (
        f"{esp_name}:{event.event_id}" if event.event_id else ""
    )
    inbound_email_receive(
        email=InboundEmail(
            provider_id=str(provider_id).strip(),
            from_email=message.from_email.addr_spec if message.from_email else "",
            from_name=message.from_email.display_name if message.from_email else "",
            recipients=[r for r in recipients if r],
            subject=message.subject or "",
            text=message.text or "",
            html=message.html or "",
            stripped_text=getattr(message, "stripped_text", None) or "",
            attachments=[
                (
                    attachment.get_filename() or "",
                    attachment.get_content_bytes(),
                    attachment.get_content_type(),
                )
                for attachment in message.attachments
            ],
        )
    )
