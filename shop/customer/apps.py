from oscar.apps.customer import apps


class CustomerConfig(apps.CustomerConfig):
    """Oscar's customer accounts, forked to give each account a profile:
    its personal manager and the mobile number for SMS, with consent."""

    name = "shop.customer"
