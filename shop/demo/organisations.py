"""The demo accounts' organisations (the buyer's two companies, the lab's
verified university) and their personal manager, the demo staff member."""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.utils import timezone
from stdnum import luhn
from stdnum.fr import siren as siren_number

from shop.customer.models import CustomerProfile, LegalEntity


def _siret(siren_base: str, nic_base: str) -> str:
    """A SIRET whose SIREN and SIRET keys are right (both Luhn)."""
    siren = siren_base + luhn.calc_check_digit(siren_base)
    nic_base = siren + nic_base
    return nic_base + luhn.calc_check_digit(nic_base)


@dataclass(frozen=True)
class DemoEntity:
    username: str
    kind: str
    name: str
    siret: str
    line1: str
    postcode: str
    city: str
    chorus_service_code: str = ""
    invoice_email: str = ""
    verified: bool = False

    @property
    def vat_number(self) -> str:
        return "FR" + siren_number.to_tva(self.siret[:9])


COMPANY, PUBLIC = LegalEntity.Kind.COMPANY, LegalEntity.Kind.PUBLIC_BODY
# fmt: off
DEMO_ENTITIES = [
    DemoEntity("buyer", COMPANY, "Moreau Automatismes SAS", _siret("41235678", "0001"),
               "12 rue des Tanneurs", "69007", "Lyon", invoice_email="compta@moreau-auto.example"),
    DemoEntity("buyer", COMPANY, "Atelier Robotique du Rhône SARL", _siret("52876543", "0002"),
               "4 quai Perrache", "69002", "Lyon"),
    DemoEntity("lab", PUBLIC, "Université Claude Bernard Lyon 1 – Laboratoire LMI",
               _siret("19691774", "0001"), "43 boulevard du 11 Novembre 1918", "69622",
               "Villeurbanne", chorus_service_code="LMI-ACHATS", verified=True,
               invoice_email="factures-lmi@univ.example"),
]
# fmt: on


def organisations_load() -> int:
    """Create the missing entities (staff's later edits are kept), verify
    the lab's, and name the staff member the customers' manager; returns
    how many entities were created."""
    User = get_user_model()
    users = {u.username: u for u in User.objects.filter(username__in=["buyer", "lab", "staff"])}
    staff = users.get("staff")
    created = 0
    for demo in DEMO_ENTITIES:
        entity, made = LegalEntity.objects.get_or_create(
            user=users[demo.username],
            name=demo.name,
            defaults={
                "kind": demo.kind,
                "siret": demo.siret,
                "vat_number": demo.vat_number,
                "line1": demo.line1,
                "postcode": demo.postcode,
                "city": demo.city,
                "chorus_service_code": demo.chorus_service_code,
                "invoice_email": demo.invoice_email,
            },
        )
        if made:
            entity.full_clean()
        if demo.verified and entity.verified_at is None:
            entity.verified_at, entity.verified_by = timezone.now(), staff
            entity.save(update_fields=["verified_at", "verified_by"])
        created += made
    for username in ("shopper", "buyer", "lab"):
        user = User.objects.filter(username=username).first()
        if user is not None:
            CustomerProfile.objects.update_or_create(user=user, defaults={"manager": staff})
    return created


def entities_of(username: str) -> list:
    return list(LegalEntity.objects.filter(user__username=username).order_by("pk"))
