from django.urls import path

from . import views

app_name = "orders"
urlpatterns = [
    path("<str:number>/confirm/", views.order_confirm, name="confirm"),
    path("<str:number>/cancel/", views.order_cancel, name="cancel"),
    path("<str:number>/edit/", views.order_edit, name="edit"),
]
