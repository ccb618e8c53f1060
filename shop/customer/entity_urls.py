"""The account's legal entities (companies, institutions)."""

from django.urls import path

from . import entity_views as views

app_name = "entities"
urlpatterns = [
    path("", views.entity_list, name="list"),
    path("add/", views.entity_edit, name="add"),
    path("<int:pk>/", views.entity_edit, name="edit"),
]
