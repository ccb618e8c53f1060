"""The one outbox (DESIGN.md rule 6): every message the shop sends (email
with attachments, SMS, and later webhooks) is a row written in the
transaction of the change that causes it, then delivered by a worker.

- ``services.outbox_queue`` stores messages in the caller's transaction; once
  it commits, the delivery task is asked to send them at once (the fast
  path). If the broker is down, the beat job sends them later.
- ``services.message_send`` claims a row (``select_for_update(skip_locked)``),
  marks it "sending" and commits before delivering: a message is sent at
  most once, whatever the number of workers or task retries. Failures back
  off (1, 2, 4... minutes, then hourly) and end "failed", visible in the
  admin with a "retry" action.
- A message rendered when sent (an order's move, a document's PDF) names a
  renderer registered by the app that owns the data (``renderers``); core
  imports no app.
- ``topic`` is what a message is about and ``ref`` its precise cause, each as
  ``"<app_label>.<model>:<pk>"`` (``selectors.outbox_ref``), so an order's
  admin lists its messages without the outbox knowing about orders.
"""
