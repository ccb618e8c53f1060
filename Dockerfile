# Comptoir's production image: gunicorn for the web, the same image runs the
# Celery worker and beat (see docker-compose.yml).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_SETTINGS_MODULE=shop.settings.production \
    COMPTOIR_VAR_DIR=/app/var

# WeasyPrint renders documents with the system Pango and HarfBuzz.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b libharfbuzz-subset0 \
        fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*

RUN groupadd --system comptoir \
    && useradd --system --gid comptoir --home-dir /app --shell /usr/sbin/nologin comptoir

WORKDIR /app
COPY requirements.txt .
RUN pip install -r requirements.txt

# The code stays root-owned (read-only to the app); only var/ is writable.
COPY . .

# Static files are collected into the image (WhiteNoise serves them from
# there); the secret key below exists only for this build step.
RUN SECRET_KEY=collectstatic-only-not-a-real-secret-key-collectstatic-only \
        python manage.py collectstatic --noinput -v0 \
    && mkdir -p var/media var/celery \
    && chown -R comptoir:comptoir var

USER comptoir
EXPOSE 8000

CMD ["gunicorn", "shop.wsgi", "--bind", "0.0.0.0:8000", "--access-logfile", "-"]
