"""The database itself refuses to change a settled payment or refund, or to
delete any row of the ledger (core.immutable, on PostgreSQL and SQLite).

"Succeeded" is the final status: it is what an order's balance counts, so
once there a row's amount, currency, status and date received, and what it
is (kind, order, method, provider and provider id, the payment a refund
gives back) never change. A pending row moves to its final state once.
A failed or cancelled online attempt keeps what it is, but may still learn
the provider's later news: a declined card retried on the same
PaymentIntent, a PayPal capture after a declined funding source, an amount
the provider took that differs from the order's (flagged for staff, who
accept it). What stays writable on every row is bookkeeping: the flag
staff clear, the note, the reference, the provider's raw data, who recorded
it. Corrections are new rows (a refund, another payment).
"""

from django.db import migrations

from core.immutable import FrozenRows, Rule

IDENTITY = ("kind", "order_id", "method", "provider", "provider_id", "refund_of_id")
MONEY = ("amount", "currency", "status", "received_on")

PAYMENT = FrozenRows(
    table="billing_payment",
    what="a recorded payment or refund",
    rules=(
        Rule(columns=IDENTITY, when="OLD.status <> 'pending'"),
        Rule(columns=MONEY, when="OLD.status = 'succeeded'"),
    ),
    # Never: the ledger keeps every attempt.
    delete_when="",
)


class Migration(migrations.Migration):
    dependencies = [("billing", "0005_payment_method_vocabulary")]

    operations = [PAYMENT.operation()]
