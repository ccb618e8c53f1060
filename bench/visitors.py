"""The visitors the bench measures besides the anonymous first-timer: a
signed-in customer with two lines in the basket ("member") and an anonymous
visitor with two lines in the basket ("holder"). Writes their cookies to
results/visitors.json, which bench/run.sh gives wrk as a Cookie header.

Run by bench/run.sh after prepare.py, with the bench's environment. The
customer is made once (bench-member@example.com); each run starts the two
visitors afresh (new session, new basket), through Django's test client on
the same database, so their session and basket are stored as the real
server stores them (sessions are cached_db: the row in the database, the
cache filled on first read).
"""

from common import read_json, setup_django, write_json

EMAIL = "bench-member@example.com"
# Only what the browser would send on the next page: not the messages
# cookie ("Added to your basket" is shown once, by the redirect's page).
KEPT = ("sessionid", "oscar_open_basket")


def fill_basket(client, product_ids: list[int]) -> None:
    from django.urls import reverse

    for pk in product_ids:
        response = client.post(reverse("basket:add", kwargs={"pk": pk}), {"quantity": 2})
        if response.status_code != 302:
            raise SystemExit(f"bench: adding product {pk} answered {response.status_code}")


def cookie_header(client) -> str:
    kept = [name for name in KEPT if name in client.cookies]
    return "; ".join(f"{name}={client.cookies[name].value}" for name in kept)


def main() -> None:
    setup_django()
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.test.utils import setup_test_environment

    setup_test_environment()  # the test client's host is allowed
    from django.urls import resolve

    from shop.catalogue import selectors

    # The measured product, and the newest other one.
    first = int(resolve(read_json("pages.json")["pages"]["product"]).kwargs["pk"])
    other = selectors.product_list_queryset().exclude(pk=first).values_list("pk", flat=True)[0]
    products = [first, other]

    user, created = get_user_model().objects.get_or_create(
        username=EMAIL, defaults={"email": EMAIL, "first_name": "Bench", "last_name": "Member"}
    )
    if created:
        user.set_unusable_password()
        user.save()
    member = Client(HTTP_HOST="127.0.0.1")
    member.force_login(user)
    fill_basket(member, products)
    holder = Client(HTTP_HOST="127.0.0.1")
    fill_basket(holder, products)
    visitors = {"member": cookie_header(member), "holder": cookie_header(holder)}
    for name, header in visitors.items():
        if not header:
            raise SystemExit(f"bench: the {name} visitor has no cookie")
        print(f"  {name:7} Cookie: {header[:60]}…")
    write_json("visitors.json", visitors)


if __name__ == "__main__":
    main()
