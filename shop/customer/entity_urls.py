"""The account's legal entities (companies, institutions)."""

app_name = "entities"
urlpatterns = []
