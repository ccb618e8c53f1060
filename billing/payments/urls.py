from django.urls import path

from . import views

urlpatterns = [
    path("orders/<str:number>/pay/", views.pay, name="pay"),
    path("orders/<str:number>/pay/<slug:provider>/", views.pay_with, name="pay-with"),
    path(
        "orders/<str:number>/pay/<slug:provider>/return/",
        views.pay_return,
        name="pay-return",
    ),
]
