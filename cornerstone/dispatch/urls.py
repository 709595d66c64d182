"""Pages of dispatch."""

from django.urls import path  # noqa: F401

app_name = "dispatch"

urlpatterns: list = []
