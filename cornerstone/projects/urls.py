from django.urls import path

from cornerstone.projects import lifecycle_views, views

app_name = "projects"

urlpatterns = [
    path("", views.ledger, name="list"),
    path("new/", views.project_create, name="create"),
    path("<int:pk>/", views.project_detail, name="detail"),
    path("<int:pk>/edit/", views.project_edit, name="edit"),
    path("<int:pk>/delete/", views.project_delete, name="delete"),
    path(
        "<int:pk>/steps/<int:definition_pk>/<slug:action>/",
        views.step_action,
        name="step-action",
    ),
    path("evidence/<int:pk>/", views.evidence_download, name="evidence"),
    path("lifecycle/", lifecycle_views.lifecycle_settings, name="lifecycle"),
    path(
        "lifecycle/<slug:kind>/<int:pk>/<slug:action>/",
        lifecycle_views.lifecycle_edit,
        name="lifecycle-edit",
    ),
]
