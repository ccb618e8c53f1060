"""Thin tasks: ids in, a service call out."""

from celery import shared_task

from .services import jobs, notifications


@shared_task(bind=True, acks_late=True, max_retries=5, default_retry_delay=30)
def notification_send(self, notification_id):
    notifications.notification_send(notification_id=notification_id)


@shared_task(acks_late=True)
def notifications_send_pending():
    return notifications.notifications_send_pending()


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
