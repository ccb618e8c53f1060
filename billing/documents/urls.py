from django.urls import path

from . import views

# Included under billing/documents/ by billing.urls (namespace "billing").
urlpatterns = [
    path("", views.document_list, name="documents"),
    path("<str:number>.pdf", views.document_download, name="document-download"),
    path("<str:number>/duplicate/", views.document_duplicate, name="document-duplicate"),
    path("orders/<str:order_number>/proforma/", views.order_proforma, name="order-proforma"),
]
