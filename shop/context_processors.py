from django.conf import settings


def shop(request):
    return {"legal": settings.COMPTOIR_LEGAL}
