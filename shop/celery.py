import os
from pathlib import Path

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shop.settings.dev")

app = Celery("comptoir")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.on_after_configure.connect
def _read_beat_schedule(sender, **kwargs):
    """The periodic jobs live in shop/beat.py, not in settings (settings
    import no app code); read once settings are loaded."""
    from shop.beat import beat_schedule

    sender.conf.beat_schedule = beat_schedule()


@app.on_after_configure.connect
def _make_filesystem_broker_folders(sender, **kwargs):
    """The embedded default's broker and results are folders under var/:
    make them, so that a bare `celery -A shop worker` works too."""
    options = sender.conf.broker_transport_options or {}
    folders = [v for k, v in options.items() if "folder" in k]
    backend = sender.conf.result_backend or ""
    if backend.startswith("file://"):
        folders.append(backend.removeprefix("file://"))
    for folder in folders:
        Path(folder).mkdir(parents=True, exist_ok=True)
