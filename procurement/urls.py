from django.urls import path

from . import views

app_name = "procurement"
urlpatterns = [
    path("", views.request_list, name="list"),
    path("request/", views.request_new, name="request"),
    path("access/<str:token>/", views.guest_access, name="guest-access"),
    path("<str:number>/", views.request_detail, name="detail"),
    path("<str:number>/sent/", views.request_sent, name="sent"),
    path("<str:number>/pdf/", views.quote_pdf, name="pdf"),
    path("<str:number>/accept/", views.quote_accept, name="accept"),
    path("<str:number>/decline/", views.quote_decline, name="decline"),
    path("<str:number>/purchase-order/", views.purchase_order_upload, name="purchase-order"),
    path(
        "<str:number>/purchase-order/file/",
        views.purchase_order_file,
        name="purchase-order-file",
    ),
    path("<str:number>/files/<str:token>/", views.request_file, name="file"),
]
