from django.urls import include, path

app_name = "billing"
urlpatterns = [
    path("", include("billing.payments.urls")),
    path("documents/", include("billing.documents.urls")),
]
