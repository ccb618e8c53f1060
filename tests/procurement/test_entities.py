"""The account's organisations (accounts/entities/)."""

import pytest
from django.urls import reverse

from shop.customer.models import LegalEntity

pytestmark = pytest.mark.django_db

VALID = {
    "kind": "public",
    "name": "Université de Lyon",
    "siret": "732 829 320 00074",
    "vat_number": "FR 44 732829320",
    "line1": "1 rue de l'Université",
    "postcode": "69007",
    "city": "Lyon",
    "country": "fr",
    "chorus_service_code": "SERV-01",
}


def test_a_customer_adds_an_organisation(client, buyer):
    client.force_login(buyer)
    assert client.get(reverse("entities:list")).status_code == 200

    response = client.post(reverse("entities:add"), VALID)

    assert response.status_code == 302
    entity = LegalEntity.objects.get()
    assert (entity.user, entity.siret, entity.vat_number, entity.country) == (
        buyer,
        "73282932000074",
        "FR44732829320",
        "FR",
    )
    assert entity.verified_at is None  # only staff verify
    assert "Université de Lyon" in client.get(reverse("entities:list")).content.decode()


def test_a_siret_with_a_wrong_checksum_is_refused(client, buyer):
    client.force_login(buyer)
    response = client.post(reverse("entities:add"), {**VALID, "siret": "73282932000075"})

    assert response.status_code == 200
    assert "This SIRET is not valid" in response.content.decode()
    assert not LegalEntity.objects.exists()


def test_a_customer_cannot_mark_verified_nor_reach_another_account(client, buyer, other):
    client.force_login(buyer)
    client.post(reverse("entities:add"), {**VALID, "verified_at": "2026-01-01T00:00"})
    entity = LegalEntity.objects.get()
    assert entity.verified_at is None

    client.force_login(other)
    assert client.get(reverse("entities:edit", args=[entity.pk])).status_code == 404
    client.post(reverse("entities:edit", args=[entity.pk]), {**VALID, "name": "Hijack"})
    entity.refresh_from_db()
    assert entity.name == "Université de Lyon"


def test_renaming_a_verified_institution_withdraws_the_verification(client, institution):
    client.force_login(institution.user)
    client.post(
        reverse("entities:edit", args=[institution.pk]),
        {**VALID, "chorus_service_code": "SERV-02"},
    )
    institution.refresh_from_db()
    assert institution.is_verified_institution  # the service code is not identity

    client.post(reverse("entities:edit", args=[institution.pk]), {**VALID, "name": "Other"})
    institution.refresh_from_db()
    assert not institution.is_verified_institution
