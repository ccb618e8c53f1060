"""Build the large data set: 100 000 products in 2 000 categories, 50 000
customers and 1 000 000 orders, with PostgreSQL COPY (not part of CI).

    createdb -h 127.0.0.1 -U postgres comptoir_scale_big
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/comptoir_scale_big \
        .venv/bin/python manage.py migrate
    DATABASE_URL=... .venv/bin/python manage.py load_demo
    DATABASE_URL=... .venv/bin/python bench/scale/generate.py [--orders 1000000]

It adds to the demo (whose partner, product classes and attributes, staff,
shipping methods and site it reuses) and writes every NOT NULL column of the
real tables (Oscar's catalogue, partner and order tables with the shop's
columns, billing's payments and documents, the order transitions), with the
states, stock allocations, payments and invoices that the services would
have left:

- 2 000 categories (20 roots, 9 children each, 10 leaves each), treebeard
  paths and ``numchild`` as treebeard computes them;
- 100 000 products, each in one leaf category, with 3 attribute values and
  one stock record (price, stock, lead time);
- 50 000 customers with a profile (one password, ``bench``), and 4 more staff
  managers;
- 1 000 000 orders over three years, 1 to 6 lines (3.5 on average), a
  shipping address each; 90 % belong to customers (a few customers have
  hundreds, most a handful), 10 % are guests'. Older than a week: delivered
  or cancelled; the last week: every state, none of them due for a timed
  job (bench/scale/jobs.py makes its own due orders);
- every move as an order transition, a succeeded payment for each paid
  order, an invoice for each shipped or delivered order (numbered without
  gaps per year after the demo's, the sequences moved on) sharing one small
  PDF, and the stock records' ``num_allocated`` equal to what open orders hold.

Rows go through psycopg 3's ``cursor.copy`` with explicit ids (the identity
sequences are moved past them at the end), in one transaction: an interrupted
run leaves nothing. Deterministic (seeded): two runs build the same data.
Refuses to run twice on the same database.
"""

import argparse
import hashlib
import os
import random
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shop.settings.dev")

import django

django.setup()

from django.contrib.auth.hashers import make_password  # noqa: E402
from django.db import connection  # noqa: E402

MARK = "GEN-"  # upc and SKU prefix of generated products: the run's marker
ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"  # treebeard's MP_Node alphabet
STEPLEN = 4
ROOTS, CHILDREN, LEAVES = 20, 9, 10  # 20 + 180 + 1 800 = 2 000 categories
VAT = 20  # percent: every generated product is at the standard rate

# A one-page PDF (a few hundred bytes): every generated invoice shares it.
TINY_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]/Contents 4 0 R"
    b"/Resources<</Font<</F1 5 0 R>>>>>>endobj\n"
    b"4 0 obj<</Length 44>>stream\nBT /F1 18 Tf 72 770 Td (Facture - bench) Tj ET\n"
    b"endstream endobj\n5 0 obj<</Type/Font/Subtype/Type1/BaseFont/Helvetica>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)

FAMILIES = [
    ("Résistance", "RES", ["0402", "0603", "0805", "1206", "axiale"]),
    ("Condensateur céramique", "CAP", ["0603", "0805", "radial", "CMS"]),
    ("Condensateur électrolytique", "ELC", ["radial", "CMS", "snap-in"]),
    ("Diode", "DIO", ["DO-41", "SOD-123", "SMA"]),
    ("Transistor MOSFET", "MOS", ["TO-220", "SOT-23", "DPAK"]),
    ("Régulateur de tension", "REG", ["TO-220", "SOT-223", "SOIC-8"]),
    ("Microcontrôleur", "MCU", ["DIP-28", "TQFP-32", "QFN-48"]),
    ("Connecteur", "CON", ["2 points", "4 points", "10 points"]),
    ("Capteur de température", "SEN", ["TO-92", "SOIC-8", "module"]),
    ("Module radio", "RFM", ["module", "carte"]),
    ("Câble de test", "CBL", ["50 cm", "1 m", "2 m"]),
    ("Fer à souder", "FER", ["60 W", "80 W"]),
    ("Boîte de rangement", "BOX", ["S", "M", "L"]),
    ("Bécher en verre", "BEC", ["100 ml", "250 ml", "1 l"]),
]
MANUFACTURERS = [
    "Yageo",
    "Vishay",
    "Murata",
    "Kemet",
    "Panasonic",
    "Texas Instruments",
    "STMicroelectronics",
    "Microchip",
    "NXP",
    "Infineon",
    "onsemi",
    "Würth",
    "TE Connectivity",
    "Molex",
    "Weller",
    "Duran",
    "Bourns",
    "Nexperia",
    "Espressif",
    "Analog Devices",
]
WORDS = [
    "faible bruit",
    "haute précision",
    "basse consommation",
    "industriel",
    "automobile",
    "haute tension",
    "rapide",
    "blindé",
    "étanche",
    "compact",
    "robuste",
    "sans plomb",
    "certifié RoHS",
    "longue durée",
    "montage en surface",
    "traversant",
    "laboratoire",
]
FIRST = [
    "Camille",
    "Julien",
    "Sophie",
    "Nicolas",
    "Léa",
    "Thomas",
    "Chloé",
    "Hugo",
    "Manon",
    "Lucas",
    "Emma",
    "Louis",
    "Inès",
    "Paul",
    "Sarah",
    "Arthur",
    "Jeanne",
    "Gabriel",
]
LAST = [
    "Martin",
    "Bernard",
    "Dubois",
    "Thomas",
    "Robert",
    "Richard",
    "Petit",
    "Durand",
    "Leroy",
    "Moreau",
    "Simon",
    "Laurent",
    "Lefebvre",
    "Michel",
    "Garcia",
    "David",
    "Bertrand",
    "Roux",
    "Vincent",
    "Fournier",
    "Morel",
    "Girard",
    "André",
    "Mercier",
]
CITIES = [
    ("Lyon", "69003"),
    ("Paris", "75011"),
    ("Grenoble", "38000"),
    ("Toulouse", "31000"),
    ("Nantes", "44000"),
    ("Lille", "59000"),
    ("Rennes", "35000"),
    ("Bordeaux", "33000"),
]
CATEGORY_WORDS = [
    "Composants",
    "Modules",
    "Outillage",
    "Mesure",
    "Connectique",
    "Alimentation",
    "Capteurs",
    "Optoélectronique",
    "Laboratoire",
    "Câblage",
    "Protection",
    "Prototypage",
    "Radio",
    "Affichage",
    "Moteurs",
    "Stockage",
    "Interfaces",
    "Audio",
    "Sécurité",
    "Énergie",
]
SHIPPING = [("Colis standard", "standard", 690), ("Express", "express", 1490)]
PAYMENT_MIX = [
    ("card", 55),
    ("transfer", 20),
    ("paypal", 12),
    ("cheque", 5),
    ("mandate", 5),
    ("counter", 3),
]


def b36(n: int) -> str:
    out = ""
    while n:
        n, r = divmod(n, 36)
        out = ALPHABET[r] + out
    return out.rjust(STEPLEN, "0")


def cents(value: int) -> str:
    return f"{value // 100}.{value % 100:02d}"


def vat_of(excl: int) -> int:
    """Half up, as core.money rounds (integers only here: it is a bench)."""
    return (excl * VAT + 50) // 100


class Ids:
    """Next free id of each table (explicit ids, sequences moved at the end)."""

    def __init__(self, cursor):
        self.cursor = cursor

    def next(self, table: str) -> int:
        self.cursor.execute(f"SELECT COALESCE(MAX(id), 0) + 1 FROM {table}")
        return self.cursor.fetchone()[0]


def copy_rows(cursor, table: str, columns: list[str], rows) -> int:
    n = 0
    with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)
            n += 1
    return n


class Generator:
    def __init__(self, cursor, *, products: int, customers: int, orders: int, seed: int = 14):
        self.cur = cursor
        self.rng = random.Random(seed)
        self.n_products, self.n_customers, self.n_orders = products, customers, orders
        self.now = datetime.now(UTC).replace(microsecond=0)
        self.ids = Ids(cursor)
        self.timings: list[tuple[str, int, float]] = []

    def step(self, label: str, table: str, columns: list[str], rows) -> None:
        start = time.perf_counter()
        n = copy_rows(self.cur, table, columns, rows)
        elapsed = time.perf_counter() - start
        self.timings.append((label, n, elapsed))
        print(f"  {label:<28} {n:>9} rows  {elapsed:6.1f} s", flush=True)

    def fetch(self, sql: str, params=()) -> list:
        self.cur.execute(sql, params)
        return self.cur.fetchall()

    # The demo's reference data ---------------------------------------------

    def load_reference(self) -> None:
        self.partner_id, self.partner_name = self.fetch(
            "SELECT id, name FROM partner_partner ORDER BY id LIMIT 1"
        )[0]
        self.classes = {}
        for class_id, attr_id, code in self.fetch(
            "SELECT product_class_id, id, code FROM catalogue_productattribute "
            "WHERE type = 'text' ORDER BY product_class_id, id"
        ):
            self.classes.setdefault(class_id, []).append((attr_id, code))
        self.staff = [row[0] for row in self.fetch("SELECT id FROM auth_user WHERE is_staff")]
        self.site_id = self.fetch("SELECT id FROM django_site ORDER BY id LIMIT 1")[0][0]
        self.root_count = self.fetch("SELECT COUNT(*) FROM catalogue_category WHERE depth = 1")[0][
            0
        ]
        self.year_last = dict(
            self.fetch(
                "SELECT year, last_number FROM billing_documentsequence WHERE kind = 'invoice'"
            )
        )
        invoice = self.fetch(
            "SELECT id FROM billing_document WHERE kind = 'invoice' ORDER BY id LIMIT 1"
        )
        self.invoice_data = (
            f"data FROM billing_document WHERE id = {invoice[0][0]}"
            if invoice
            else '\'{"kind": "invoice"}\'::jsonb'
        )
        if not self.classes or not self.staff:
            sys.exit("Load the demo first (manage.py load_demo): its classes and staff are reused.")

    # Catalogue ---------------------------------------------------------------

    def categories(self) -> None:
        first = self.ids.next("catalogue_category")
        rows, self.leaves = [], []
        cid = first
        for r in range(ROOTS):
            root_path = b36(self.root_count + r + 1)
            root_name = f"{CATEGORY_WORDS[r % len(CATEGORY_WORDS)]} {r + 1:02d}"
            rows.append((cid, root_path, 1, CHILDREN, root_name, f"gamme-{r + 1:02d}"))
            cid += 1
            for c in range(CHILDREN):
                child_path = root_path + b36(c + 1)
                rows.append(
                    (cid, child_path, 2, LEAVES, f"{root_name}.{c + 1}", f"serie-{r + 1}-{c + 1}")
                )
                cid += 1
                for leaf in range(LEAVES):
                    name = (
                        f"{FAMILIES[(r + c + leaf) % len(FAMILIES)][0]}s {r + 1}.{c + 1}.{leaf + 1}"
                    )
                    rows.append(
                        (
                            cid,
                            child_path + b36(leaf + 1),
                            3,
                            0,
                            name,
                            f"famille-{r + 1}-{c + 1}-{leaf + 1}",
                        )
                    )
                    self.leaves.append(cid)
                    cid += 1
        self.step(
            "categories",
            "catalogue_category",
            [
                "id",
                "path",
                "depth",
                "numchild",
                "name",
                "slug",
                "description",
                "ancestors_are_public",
                "is_public",
                "exclude_from_menu",
                "long_description",
            ],
            ((*row, "", True, True, False, "") for row in rows),
        )

    def products(self) -> None:
        rng, first = self.rng, self.ids.next("catalogue_product")
        self.product_first = first
        class_ids = sorted(self.classes)
        created = self.now - timedelta(days=1200)
        products, links, values, stock = [], [], [], []
        self.prices, self.titles = {}, {}
        for i in range(self.n_products):
            pid = first + i
            family, code, packages = FAMILIES[i % len(FAMILIES)]
            maker = MANUFACTURERS[(i * 7) % len(MANUFACTURERS)]
            package = packages[i % len(packages)]
            word = WORDS[(i * 3) % len(WORDS)]
            mpn = f"{code}{i % 997:03d}-{package[:4].upper().replace(' ', '')}-{i:06d}"
            title = f"{family} {word} {package} {maker} {mpn}"
            products.append(
                (
                    pid,
                    "standalone",
                    f"{MARK}{i:06d}",
                    title,
                    f"{code.lower()}-{i:06d}",
                    f"<p>{family} {word}, boîtier {package}, fabriqué par {maker}.</p>",
                    created + timedelta(minutes=i * 17),
                    self.now,
                    True,
                    class_ids[i % len(class_ids)],
                    True,
                    0,
                    maker,
                    mpn,
                    "",
                )
            )
            links.append((pid, self.leaves[i % len(self.leaves)]))
            for attr_id, attr_code in self.classes[class_ids[i % len(class_ids)]][:3]:
                values.append((pid, attr_id, f"{attr_code} {i % 50}"))
            price = rng.randint(5, 5000) if i % 5 else rng.randint(1000, 60000)
            self.prices[pid] = price
            self.titles[pid] = title
            stock.append(
                (
                    pid,
                    pid,
                    f"{MARK}{i:06d}",
                    "EUR",
                    cents(price),
                    rng.choice([0, 3, 25, 500, 2000]),
                    0,
                    5,
                    created,
                    self.now,
                    self.partner_id,
                    rng.choice([2, 5, 10, 21]),
                )
            )
        self.step(
            "products",
            "catalogue_product",
            [
                "id",
                "structure",
                "upc",
                "title",
                "slug",
                "description",
                "date_created",
                "date_updated",
                "is_discountable",
                "product_class_id",
                "is_public",
                "priority",
                "manufacturer",
                "mpn",
                "return_exclusion",
            ],
            products,
        )
        self.step(
            "product categories", "catalogue_productcategory", ["product_id", "category_id"], links
        )
        self.step(
            "attribute values",
            "catalogue_productattributevalue",
            ["product_id", "attribute_id", "value_text"],
            values,
        )
        # One stock record per product, its id the product's (both fresh ranges
        # start after the demo's, which has one record per product too).
        self.cur.execute("SELECT COALESCE(MAX(id), 0) FROM partner_stockrecord")
        offset = self.cur.fetchone()[0] - first + 1
        offset = max(offset, 0)
        self.stock_offset = offset
        self.step(
            "stock records",
            "partner_stockrecord",
            [
                "id",
                "product_id",
                "partner_sku",
                "price_currency",
                "price",
                "num_in_stock",
                "num_allocated",
                "low_stock_threshold",
                "date_created",
                "date_updated",
                "partner_id",
                "lead_time_days",
            ],
            ((row[0] + offset, *row[1:]) for row in stock),
        )

    # Customers -----------------------------------------------------------------

    def customers(self) -> None:
        first = self.ids.next("auth_user")
        password = make_password("bench")
        staff_rows = [
            (
                first + k,
                password,
                False,
                f"manager{k + 1}@bench.example",
                FIRST[k],
                LAST[k],
                f"manager{k + 1}@bench.example",
                True,
                True,
                self.now - timedelta(days=1500),
            )
            for k in range(4)
        ]
        self.staff = self.staff + [row[0] for row in staff_rows]
        ufirst = first + len(staff_rows)
        self.user_first = ufirst
        self.users = []
        rows = []
        for i in range(self.n_customers):
            fn, ln = FIRST[i % len(FIRST)], LAST[(i // len(FIRST)) % len(LAST)]
            email = f"client{i:05d}@bench.example"
            rows.append(
                (
                    ufirst + i,
                    password,
                    False,
                    email,
                    fn,
                    ln,
                    email,
                    False,
                    True,
                    self.now - timedelta(days=1100 - i % 1100),
                )
            )
            self.users.append((ufirst + i, email, fn, ln))
        columns = [
            "id",
            "password",
            "is_superuser",
            "username",
            "first_name",
            "last_name",
            "email",
            "is_staff",
            "is_active",
            "date_joined",
        ]
        self.step("users", "auth_user", columns, staff_rows + rows)
        self.user_manager = {
            uid: (self.staff[uid % len(self.staff)] if uid % 3 == 0 else None)
            for uid, *_ in self.users
        }
        self.step(
            "customer profiles",
            "customer_customerprofile",
            ["user_id", "mobile", "sms_opt_in", "manager_id"],
            ((uid, "", False, self.user_manager[uid]) for uid, *_ in self.users),
        )

    # Orders ------------------------------------------------------------------------

    def pick_user(self):
        """A few customers order a lot, most a handful; one order in ten is a guest's."""
        if self.rng.random() < 0.1:
            return None
        return self.users[int(len(self.users) * self.rng.random() ** 1.5)]

    def pick_status(self, age_days: float) -> str:
        r = self.rng.random()
        if age_days > 7:
            return "cancelled" if r < 0.1 else "delivered"
        table = [
            ("new", 0.01),
            ("reserved", 0.12),
            ("in_progress", 0.22),
            ("picking", 0.32),
            ("shipped", 0.5),
            ("cancelled", 0.58),
            ("delivered", 1.0),
        ]
        return next(s for s, limit in table if r < limit)

    PATHS = {
        "new": [],
        "reserved": [("new", "reserved", "system")],
        "in_progress": [("new", "reserved", "system"), ("reserved", "in_progress", "customer")],
        "picking": [
            ("new", "reserved", "system"),
            ("reserved", "in_progress", "customer"),
            ("in_progress", "picking", "system"),
        ],
        "shipped": [
            ("new", "reserved", "system"),
            ("reserved", "in_progress", "customer"),
            ("in_progress", "picking", "system"),
            ("picking", "shipped", "staff"),
        ],
        "delivered": [
            ("new", "reserved", "system"),
            ("reserved", "in_progress", "customer"),
            ("in_progress", "picking", "system"),
            ("picking", "shipped", "staff"),
            ("shipped", "delivered", "staff"),
        ],
        "cancelled": [
            ("new", "reserved", "system"),
            ("reserved", "cancelled", "beat:expire_reservations"),
        ],
    }

    def orders(self) -> None:
        rng, n = self.rng, self.n_orders
        order_first = self.ids.next("order_order")
        address_first = self.ids.next("order_shippingaddress")
        payment_first = self.ids.next("billing_payment")
        document_first = self.ids.next("billing_document")
        pdf_hash = hashlib.sha256(TINY_PDF).hexdigest()
        methods = [m for m, w in PAYMENT_MIX for _ in range(w)]
        product_ids = list(self.prices)
        span = 3 * 365 * 86400
        start = self.now - timedelta(seconds=span)
        year_last = dict(self.year_last)
        addresses, orders, lines, transitions, payments, documents = [], [], [], [], [], []
        held: dict[int, int] = {}

        def flush():
            for label, table, columns, rows in (
                ("shipping addresses", "order_shippingaddress", ADDRESS_COLUMNS, addresses),
                ("orders", "order_order", ORDER_COLUMNS, orders),
                ("lines", "order_line", LINE_COLUMNS, lines),
                ("transitions", "order_ordertransition", TRANSITION_COLUMNS, transitions),
                ("payments", "billing_payment", PAYMENT_COLUMNS, payments),
                ("invoices", "gen_invoice", STAGED_DOCUMENT_COLUMNS, documents),
            ):
                t = time.perf_counter()
                copy_rows(self.cur, table, columns, rows)
                self.copy_seconds[label] = self.copy_seconds.get(label, 0) + time.perf_counter() - t
                self.counts[label] = self.counts.get(label, 0) + len(rows)
                rows.clear()
            # Every invoice shares the demo invoice's data: copied as a value,
            # it is parsed once (parsing 2 kB of JSON per row would cost more
            # than all the other tables).
            t = time.perf_counter()
            columns = ", ".join(STAGED_DOCUMENT_COLUMNS)
            self.cur.execute(
                f"INSERT INTO billing_document ({columns}, data) SELECT {columns}, "
                f"(SELECT {self.invoice_data}) FROM gen_invoice ORDER BY id"
            )
            self.cur.execute("TRUNCATE gen_invoice")
            self.copy_seconds["invoices"] += time.perf_counter() - t

        self.counts: dict[str, int] = {}
        self.cur.execute(
            f"CREATE TEMP TABLE gen_invoice ON COMMIT DROP AS "
            f"SELECT {', '.join(STAGED_DOCUMENT_COLUMNS)} FROM billing_document WITH NO DATA"
        )
        self.copy_seconds: dict[str, float] = {}
        t0 = time.perf_counter()
        # Orders in date order, so that ids and numbers grow with time.
        for k in range(n):
            oid, aid = order_first + k, address_first + k
            placed = start + timedelta(seconds=span * k // n + rng.randint(0, 59))
            age = (self.now - placed).total_seconds() / 86400
            status = self.pick_status(age)
            user = self.pick_user()
            method = rng.choice(methods)
            fn, ln = (user[2], user[3]) if user else (rng.choice(FIRST), rng.choice(LAST))
            city, postcode = CITIES[k % len(CITIES)]
            addresses.append(
                (
                    aid,
                    "",
                    fn,
                    ln,
                    f"{k % 200 + 1} rue de la République",
                    "",
                    "",
                    city,
                    "",
                    postcode,
                    "",
                    "",
                    "",
                    "FR",
                )
            )
            # Lines: 1 to 6, popular products more often.
            total = 0
            n_lines = rng.choice((1, 1, 2, 3, 3, 4, 5, 6))
            allocated = status in ("reserved", "in_progress", "picking", "shipped", "delivered")
            for _ in range(n_lines):
                pid = product_ids[int(len(product_ids) * rng.random() ** 2)]
                qty = rng.choice((1, 1, 1, 2, 5, 10))
                unit = self.prices[pid]
                excl = unit * qty
                incl = excl + vat_of(excl)
                total += excl
                sku = f"{MARK}{pid - self.product_first:06d}"
                srid = pid + self.stock_offset
                if status in ("reserved", "in_progress", "picking"):
                    held[srid] = held.get(srid, 0) + qty
                lines.append(
                    (
                        oid,
                        self.partner_name,
                        sku,
                        "",
                        "",
                        self.titles[pid],
                        f"{MARK}{pid - self.product_first:06d}",
                        qty,
                        cents(incl),
                        cents(excl),
                        cents(incl),
                        cents(excl),
                        cents(unit + vat_of(unit)),
                        cents(unit),
                        "",
                        self.partner_id,
                        pid,
                        srid,
                        "20.00",
                        False,
                        qty if allocated else 0,
                        0,
                    )
                )
            shipping_name, shipping_code, ship = SHIPPING[0] if k % 7 else SHIPPING[1]
            if total > 15000:
                ship = 0
            excl = total + ship
            incl = excl + vat_of(total) + vat_of(ship)
            paid = status in ("picking", "shipped", "delivered") or (
                status == "in_progress" and method in ("card", "paypal")
            )
            paid_at = placed + timedelta(hours=2) if paid else None
            reserved_until = (
                self.now + timedelta(days=3)
                if status in ("reserved",) or (status == "in_progress" and not paid)
                else None
            )
            if status in ("reserved", "in_progress") and method == "transfer" and not paid:
                reserved_until = placed + timedelta(days=7)
            shipped = status in ("shipped", "delivered")
            manager = self.user_manager.get(user[0]) if user else None
            orders.append(
                (
                    oid,
                    str(1_000_000 + k),
                    "EUR",
                    cents(incl),
                    cents(excl),
                    cents(ship + vat_of(ship)),
                    cents(ship),
                    shipping_name,
                    shipping_code,
                    status,
                    "" if user else f"invite{k}@bench.example",
                    placed,
                    None,
                    aid,
                    self.site_id,
                    user[0] if user else None,
                    False,
                    "Colissimo" if shipped else "",
                    False,
                    "fr",
                    manager,
                    "",
                    paid_at,
                    method,
                    False,
                    reserved_until,
                    False,
                    f"6A{k:011d}" if shipped else "",
                    "",
                    "2026-01",
                    placed,
                )
            )
            when = placed
            for from_status, to_status, source in self.PATHS[status]:
                when += timedelta(hours=rng.randint(1, 30))
                by = rng.choice(self.staff) if source == "staff" else None
                transitions.append((oid, from_status, to_status, when, source, "", by))
            if paid:
                payments.append(
                    (
                        payment_first + len(payments) + self.counts.get("payments", 0),
                        oid,
                        "payment",
                        method,
                        "stripe" if method == "card" else "",
                        f"pi_bench_{k}" if method == "card" else "",
                        cents(incl),
                        "EUR",
                        "succeeded",
                        "",
                        "{}",
                        paid_at.date(),
                        str(1_000_000 + k),
                        "",
                        paid_at,
                        paid_at,
                        None if method in ("card", "paypal") else self.staff[0],
                    )
                )
            if shipped:
                year = when.year
                year_last[year] = year_last.get(year, 0) + 1
                seq = year_last[year]
                documents.append(
                    (
                        document_first + len(documents) + self.counts.get("invoices", 0),
                        "invoice",
                        f"FA-{year}-{seq:05d}",
                        year,
                        seq,
                        when,
                        when.date(),
                        "fr",
                        "",
                        "",
                        TINY_PDF,
                        pdf_hash,
                        cents(excl),
                        cents(incl - excl),
                        cents(incl),
                        "EUR",
                        False,
                        "",
                        "",
                        user[0] if user else None,
                        rng.choice(self.staff),
                        oid,
                    )
                )
            if len(orders) >= 20_000:
                flush()
                done = k + 1
                rate = done / (time.perf_counter() - t0)
                print(f"  orders {done:>9} / {n}  ({rate:,.0f}/s)", end="\r", flush=True)
        flush()
        elapsed = time.perf_counter() - t0
        print(" " * 60, end="\r")
        for label, count in self.counts.items():
            self.timings.append((label, count, elapsed if label == "orders" else 0.0))
            print(
                f"  {label:<28} {count:>9} rows  {self.copy_seconds[label]:6.1f} s in COPY",
                flush=True,
            )
        print(f"  (orders and what hangs on them: {elapsed:.1f} s)")
        # What the open orders hold, as orders.services.stock would have left it.
        self.cur.execute("CREATE TEMP TABLE gen_held (id int PRIMARY KEY, held int) ON COMMIT DROP")
        copy_rows(self.cur, "gen_held", ["id", "held"], held.items())
        self.cur.execute(
            "UPDATE partner_stockrecord s"
            " SET num_allocated = COALESCE(s.num_allocated, 0) + h.held,"
            " num_in_stock = GREATEST(s.num_in_stock, COALESCE(s.num_allocated, 0) + h.held)"
            " FROM gen_held h WHERE s.id = h.id"
        )
        for year, last in year_last.items():
            self.cur.execute(
                "INSERT INTO billing_documentsequence (kind, year, last_number) "
                "VALUES ('invoice', %s, %s) ON CONFLICT (kind, year) "
                "DO UPDATE SET last_number = EXCLUDED.last_number",
                (year, last),
            )

    def finish(self) -> None:
        for table in TABLES:
            self.cur.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"(SELECT COALESCE(MAX(id), 1) FROM {table}))"
            )


ADDRESS_COLUMNS = [
    "id",
    "title",
    "first_name",
    "last_name",
    "line1",
    "line2",
    "line3",
    "line4",
    "state",
    "postcode",
    "search_text",
    "phone_number",
    "notes",
    "country_id",
]
ORDER_COLUMNS = [
    "id",
    "number",
    "currency",
    "total_incl_tax",
    "total_excl_tax",
    "shipping_incl_tax",
    "shipping_excl_tax",
    "shipping_method",
    "shipping_code",
    "status",
    "guest_email",
    "date_placed",
    "basket_id",
    "shipping_address_id",
    "site_id",
    "user_id",
    "analytics_tracked",
    "carrier",
    "confirmation_required",
    "language",
    "manager_id",
    "notify_phone",
    "paid_at",
    "payment_method",
    "ready_for_pickup",
    "reserved_until",
    "sms_opt_in",
    "tracking_number",
    "purchase_order_number",
    "terms_version",
    "terms_accepted_at",
]
LINE_COLUMNS = [
    "order_id",
    "partner_name",
    "partner_sku",
    "partner_line_reference",
    "partner_line_notes",
    "title",
    "upc",
    "quantity",
    "line_price_incl_tax",
    "line_price_excl_tax",
    "line_price_before_discounts_incl_tax",
    "line_price_before_discounts_excl_tax",
    "unit_price_incl_tax",
    "unit_price_excl_tax",
    "status",
    "partner_id",
    "product_id",
    "stockrecord_id",
    "tax_code",
    "allocation_cancelled",
    "num_allocated",
    "num_awaited",
]
TRANSITION_COLUMNS = [
    "order_id",
    "from_status",
    "to_status",
    "created_at",
    "source",
    "note",
    "by_id",
]
PAYMENT_COLUMNS = [
    "id",
    "order_id",
    "kind",
    "method",
    "provider",
    "provider_id",
    "amount",
    "currency",
    "status",
    "flag",
    "raw_event",
    "received_on",
    "reference",
    "note",
    "created_at",
    "updated_at",
    "recorded_by_id",
]
STAGED_DOCUMENT_COLUMNS = [  # all but data
    "id",
    "kind",
    "number",
    "year",
    "sequence_number",
    "issued_at",
    "date",
    "language",
    "source_label",
    "source_reference",
    "pdf",
    "sha256",
    "total_excl_tax",
    "total_vat",
    "total_incl_tax",
    "currency",
    "is_facturx",
    "chorus_status",
    "chorus_flux_id",
    "customer_id",
    "issued_by_id",
    "order_id",
]
TABLES = [
    "catalogue_category",
    "catalogue_product",
    "catalogue_productcategory",
    "catalogue_productattributevalue",
    "partner_stockrecord",
    "auth_user",
    "customer_customerprofile",
    "order_shippingaddress",
    "order_order",
    "order_line",
    "order_ordertransition",
    "billing_payment",
    "billing_document",
    "billing_documentsequence",
]


def drop_foreign_keys(cursor) -> list[tuple[str, str, str]]:
    """Drop the foreign keys of the tables written, to put them back after.

    Each row COPYed into a table with deferrable foreign keys queues one
    check per key, run row by row at commit: about half of the time of a
    million orders. Put back with ALTER TABLE ADD CONSTRAINT, PostgreSQL checks
    each key once over the whole table (one join), so nothing is left unchecked.
    """
    cursor.execute(
        "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint "
        "WHERE contype = 'f' AND conrelid::regclass::text = ANY(%s)",
        (TABLES,),
    )
    keys = cursor.fetchall()
    for table, name, _definition in keys:
        cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
    return keys


def drop_indexes(cursor) -> list[str]:
    """Drop the plain indexes of the tables written (not those behind a
    primary key or unique constraint, which keep checking every row), to
    build them once at the end: sorting a million rows once is cheaper than
    inserting them one by one into ten indexes."""
    cursor.execute(
        "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) FROM pg_index i "
        "WHERE i.indrelid::regclass::text = ANY(%s) AND NOT EXISTS "
        "(SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)",
        (TABLES,),
    )
    indexes = cursor.fetchall()
    for name, _definition in indexes:
        cursor.execute(f'DROP INDEX "{name}"')
    return [definition for _name, definition in indexes]


def restore_indexes(cursor, definitions) -> None:
    start = time.perf_counter()
    cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
    for definition in definitions:
        cursor.execute(definition)
    print(f"  {len(definitions)} indexes built: {time.perf_counter() - start:.1f} s", flush=True)


def restore_foreign_keys(cursor, keys) -> None:
    start = time.perf_counter()
    for table, name, definition in keys:
        cursor.execute(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')
    print(f"  {len(keys)} foreign keys put back and checked: {time.perf_counter() - start:.1f} s")


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--products", type=int, default=100_000)
    parser.add_argument("--customers", type=int, default=50_000)
    parser.add_argument("--orders", type=int, default=1_000_000)
    args = parser.parse_args(argv)
    if connection.vendor != "postgresql":
        sys.exit("PostgreSQL only (COPY): set DATABASE_URL.")
    start = time.perf_counter()
    with connection.cursor() as django_cursor:
        cursor = django_cursor.cursor  # psycopg 3's own cursor: copy()
        cursor.execute("SELECT 1 FROM catalogue_product WHERE upc LIKE %s LIMIT 1", (MARK + "%",))
        if cursor.fetchone():
            sys.exit("This database already holds a generated data set.")
        gen = Generator(
            cursor, products=args.products, customers=args.customers, orders=args.orders
        )
        print(f"Generating into {connection.settings_dict['NAME']}:")
        with connection.connection.transaction():
            cursor.execute("SET LOCAL synchronous_commit = off")
            gen.load_reference()
            foreign_keys = drop_foreign_keys(cursor)
            indexes = drop_indexes(cursor)
            gen.categories()
            gen.products()
            gen.customers()
            gen.orders()
            gen.finish()
            restore_indexes(cursor, indexes)
            restore_foreign_keys(cursor, foreign_keys)
        cursor.execute("ANALYZE")
    print(f"Done in {time.perf_counter() - start:.0f} s.")


if __name__ == "__main__":
    main()
