"""Chorus Pro: Factur-X invoices and credit notes to public bodies wait
there ("pending") until deposited on the State's portal.

Two ways out: an export (zip, or a folder) that staff upload by hand, or,
when COMPTOIR_CHORUS_ENABLED is on, the API ("deposer flux" of the PISTE
gateway: OAuth2 client credentials, then the technical account in the
``cpro-account`` header). A deposit records the flow number Chorus returns.
"""

from __future__ import annotations

import base64
import datetime
import io
import json
import logging
import zipfile
from pathlib import Path

import requests
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from billing.models import Document

from .services import document_pdf_verified

logger = logging.getLogger(__name__)
ChorusStatus = Document.ChorusStatus
# Exported or not, what is not deposited yet.
NOT_DEPOSITED = (ChorusStatus.PENDING, ChorusStatus.EXPORTED)
DEPOSIT_PATH = "/cpro/factures/v1/deposer/flux"
# Chorus Pro's name for a Factur-X file (PDF/A-3 with CII XML).
FACTURX_SYNTAX = "IN_DP_E2_CII_FACTURX"


class ChorusError(Exception):
    pass


def waiting_for_chorus(document_ids=None):
    documents = Document.objects.filter(is_facturx=True, chorus_status__in=NOT_DEPOSITED)
    if document_ids is not None:
        documents = documents.filter(pk__in=document_ids)
    return documents.order_by("number")


def _to_export(*, document_ids=None, numbers=None, again=False):
    """What an export takes: the Factur-X files never exported, once each.
    ``again`` adds those already exported and not yet deposited; documents
    named (``document_ids`` or ``numbers``, e.g. staff's selection) are
    taken whatever their state: asked for by name."""
    documents = Document.objects.filter(is_facturx=True)
    if document_ids is not None or numbers is not None:
        if document_ids is not None:
            documents = documents.filter(pk__in=document_ids)
        if numbers is not None:
            documents = documents.filter(number__in=numbers)
    elif again:
        documents = documents.filter(chorus_status__in=NOT_DEPOSITED)
    else:
        documents = documents.filter(chorus_status=ChorusStatus.PENDING)
    return documents.order_by("number")


def _manifest(documents, *, exported_at) -> bytes:
    """What an export holds, for the person depositing it and for audit:
    each file with its SHA-256 (the one recorded when it was issued and
    checked just now), its amounts and who it is for."""
    entries = []
    for document in documents:
        buyer = (document.data or {}).get("buyer", {})
        entries.append(
            {
                "number": document.number,
                "kind": document.kind,
                "date": document.date.isoformat(),
                "file": document.filename,
                "sha256": document.sha256,
                "total_excl_tax": str(document.total_excl_tax),
                "total_vat": str(document.total_vat),
                "total_incl_tax": str(document.total_incl_tax),
                "currency": document.currency,
                "buyer": buyer.get("entity_name") or buyer.get("name", ""),
                "buyer_siret": buyer.get("siret", ""),
                "service_code": buyer.get("chorus_service_code", ""),
                "purchase_order": buyer.get("purchase_order_number", ""),
                "chorus_status_before": document.chorus_status,
            }
        )
    payload = {
        "exported_at": exported_at.isoformat(),
        "count": len(entries),
        "documents": entries,
    }
    return json.dumps(payload, indent=2, ensure_ascii=False).encode("utf-8")


def _export(documents) -> list[tuple[Document, bytes]]:
    """Each file, verified against its checksum (a mismatch stops the whole
    export: nothing altered is ever handed over), then marked exported."""
    files = [(document, document_pdf_verified(document)) for document in documents]
    Document.objects.filter(
        pk__in=[document.pk for document, _pdf in files], chorus_status=ChorusStatus.PENDING
    ).update(chorus_status=ChorusStatus.EXPORTED)
    return files


def chorus_export_zip(
    *, document_ids=None, numbers=None, again=False, by=None
) -> tuple[bytes, list[str]]:
    """A zip of the Factur-X PDFs to deposit, with ``manifest.json``; they
    are marked "exported" (still waiting until the deposit is recorded).
    An empty selection gives no zip (empty bytes)."""
    with transaction.atomic():
        documents = list(
            _to_export(document_ids=document_ids, numbers=numbers, again=again).select_for_update()
        )
        if not documents:
            return b"", []
        files = _export(documents)
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for document, pdf in files:
                archive.writestr(document.filename, pdf)
            archive.writestr("manifest.json", _manifest(documents, exported_at=timezone.now()))
    logger.info("Chorus Pro export (zip): %s", ", ".join(d.number for d in documents))
    return buffer.getvalue(), [document.number for document in documents]


def chorus_export_folder(*, folder: Path, numbers=None, again=False) -> list[str]:
    """The same export into a folder (management command), with a manifest
    per run (``chorus-manifest-<UTC time>.json``). Nothing new: nothing
    written."""
    with transaction.atomic():
        documents = list(_to_export(numbers=numbers, again=again).select_for_update())
        if not documents:
            return []
        files = _export(documents)
        folder.mkdir(parents=True, exist_ok=True)
        now = timezone.now()
        for document, pdf in files:
            (folder / document.filename).write_bytes(pdf)
        stamp = now.astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%S%fZ")
        (folder / f"chorus-manifest-{stamp}.json").write_bytes(
            _manifest(documents, exported_at=now)
        )
    logger.info("Chorus Pro export to %s: %s", folder, ", ".join(d.number for d in documents))
    return [document.number for document in documents]


# --- API ---------------------------------------------------------------------------


class ChorusClient:
    """The two calls we need from PISTE / Chorus Pro, with a timeout each."""

    def __init__(self, *, api_url, oauth_url, client_id, client_secret, login, password, timeout):
        self.api_url = api_url.rstrip("/")
        self.oauth_url = oauth_url
        self.client_id, self.client_secret = client_id, client_secret
        self.account = base64.b64encode(f"{login}:{password}".encode()).decode()
        self.timeout = timeout
        self.session = requests.Session()
        self._token = None

    @classmethod
    def from_settings(cls) -> ChorusClient:
        if not settings.COMPTOIR_CHORUS_ENABLED:
            raise ChorusError(_("The Chorus Pro API is not switched on (COMPTOIR_CHORUS_ENABLED)."))
        return cls(
            api_url=settings.COMPTOIR_CHORUS_API_URL,
            oauth_url=settings.COMPTOIR_CHORUS_OAUTH_URL,
            client_id=settings.COMPTOIR_CHORUS_CLIENT_ID,
            client_secret=settings.COMPTOIR_CHORUS_CLIENT_SECRET,
            login=settings.COMPTOIR_CHORUS_LOGIN,
            password=settings.COMPTOIR_CHORUS_PASSWORD,
            timeout=settings.COMPTOIR_CHORUS_TIMEOUT,
        )

    def token(self) -> str:
        if self._token is None:
            response = self.session.post(
                self.oauth_url,
                data={
                    "grant_type": "client_credentials",
                    "client_id": self.client_id,
                    "client_secret": self.client_secret,
                    "scope": "openid",
                },
                timeout=self.timeout,
            )
            if response.status_code != 200:
                raise ChorusError(f"Chorus Pro authentication failed ({response.status_code}).")
            self._token = response.json()["access_token"]
        return self._token

    def deposit(self, *, filename: str, content: bytes) -> dict:
        response = self.session.post(
            self.api_url + DEPOSIT_PATH,
            json={
                "fichierFlux": base64.b64encode(content).decode(),
                "nomFichier": filename,
                "syntaxeFlux": FACTURX_SYNTAX,
                "avecSignature": False,
            },
            headers={
                "Authorization": f"Bearer {self.token()}",
                "cpro-account": self.account,
                "Accept": "application/json",
            },
            timeout=self.timeout,
        )
        try:
            payload = response.json()
        except ValueError:
            payload = {}
        if response.status_code != 200 or payload.get("codeRetour") not in (0, "0"):
            raise ChorusError(
                f"Chorus Pro refused {filename} ({response.status_code}): "
                f"{payload.get('libelle') or response.text[:200]}"
            )
        return payload


def chorus_deposit(*, document_id: int, client: ChorusClient | None = None) -> Document:
    """Deposit one waiting Factur-X file; records the returned flow number.
    Locked so two workers never deposit the same invoice twice."""
    client = client or ChorusClient.from_settings()
    with transaction.atomic():
        document = (
            waiting_for_chorus().select_for_update(skip_locked=True).filter(pk=document_id).first()
        )
        if document is None:
            return Document.objects.without_pdf().get(pk=document_id)
        result = client.deposit(filename=document.filename, content=document_pdf_verified(document))
        flux_id = str(result.get("numeroFluxDepot") or "")
        Document.objects.filter(pk=document.pk).update(
            chorus_status=ChorusStatus.DEPOSITED,
            chorus_flux_id=flux_id,
            chorus_deposited_at=timezone.now(),
        )
    logger.info("Deposited %s on Chorus Pro: flow %s", document.number, flux_id)
    return Document.objects.without_pdf().get(pk=document_id)


def chorus_deposit_pending(*, document_ids=None) -> list[Document]:
    client = ChorusClient.from_settings()
    ids = list(waiting_for_chorus(document_ids).values_list("pk", flat=True))
    return [chorus_deposit(document_id=pk, client=client) for pk in ids]
