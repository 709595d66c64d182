"""Pages of alerts."""

from django.urls import path

from cornerstone.alerts import views

app_name = "alerts"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("regions/", views.region_lights, name="region_lights"),
    path("projects/<int:pk>/", views.project_lights, name="project_lights"),
    path("projects/<int:pk>/justify/", views.justification_propose, name="justification_propose"),
    path("rules/", views.rule_sets, name="rule_sets"),
    path("rules/new/", views.rule_set_edit, name="rule_set_create"),
    path("rules/<int:pk>/", views.rule_set_edit, name="rule_set_edit"),
    path("justifications/", views.justifications, name="justifications"),
    path(
        "justifications/<int:pk>/decide/",
        views.justification_decide,
        name="justification_decide",
    ),
    path("recompute/", views.recompute, name="recompute"),
]
