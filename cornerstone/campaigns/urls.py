"""Pages of the campaigns (三个一批, 集中开工)."""

app_name = "campaigns"

urlpatterns: list = []
