"""Pages of the statistics."""

from django.urls import path

from cornerstone.stats import views

app_name = "stats"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("regions/", views.regions, name="regions"),
    path("industries/", views.industries, name="industries"),
    path("tiers/", views.tiers, name="tiers"),
    path("projects/", views.projects, name="projects"),
    path("start-target/", views.start_target, name="start-target"),
]
