from django.urls import path

from . import views

app_name = "returns"
urlpatterns = [
    path("", views.return_list, name="list"),
    path("new/<str:order_number>/", views.return_create, name="create"),
    path("<int:pk>/", views.return_detail, name="detail"),
    path("<int:pk>/slip.pdf", views.return_slip, name="slip"),
    path("claims/new/<str:order_number>/", views.claim_create, name="claim-create"),
    path("claims/<int:pk>/", views.claim_detail, name="claim"),
]
