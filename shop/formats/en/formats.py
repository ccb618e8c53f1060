"""English dates a French shop's customers read without doubt: Django's
US-style "12/07/2026 1:20 a.m." reads as 12 July to most of them; these say
"7 Dec 2026, 01:20" (date-times only: documents keep their dates). Input
formats stay Django's."""

SHORT_DATETIME_FORMAT = "j M Y, H:i"
DATETIME_FORMAT = "j F Y, H:i"
