from oscar.apps.communication import apps


class CommunicationConfig(apps.CommunicationConfig):
    """Oscar's communication, forked: its dispatcher raises on SMS (staff can
    fill an SMS template in the dashboard); ours sends through core.sms."""

    name = "shop.communication"
