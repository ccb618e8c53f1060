from django.urls import path

from . import views

app_name = "conversations"
urlpatterns = [
    path("", views.conversation_list, name="list"),
    path("<int:pk>/", views.conversation_detail, name="detail"),
    path("post/", views.message_new, name="post"),
    path("<int:pk>/files/<str:token>/", views.attachment_download, name="file"),
]
