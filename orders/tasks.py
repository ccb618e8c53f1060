"""Thin tasks: ids in, a service call out. (The outbox's delivery task is
core.outbox.tasks.outbox_send.)"""

from celery import shared_task

from .services import jobs


@shared_task(acks_late=True)
def reservations_expire():
    return jobs.reservations_expire()


@shared_task(acks_late=True)
def transfers_remind_unpaid():
    return jobs.transfers_remind_unpaid()


@shared_task(acks_late=True)
def transfers_cancel_unpaid():
    return jobs.transfers_cancel_unpaid()


@shared_task(acks_late=True)
def orders_reserve_waiting():
    return jobs.orders_reserve_waiting()
