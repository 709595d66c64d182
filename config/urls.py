"""URL map: pages, the API, auth and language switching."""

from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from cornerstone.accounts.urls import auth_urlpatterns
from cornerstone.api.urls import api

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="projects:list", permanent=False)),
    path("accounts/", include(auth_urlpatterns)),
    path("accounts/", include("cornerstone.accounts.urls")),
    path("projects/", include("cornerstone.projects.urls")),
    path("", include("cornerstone.plans.urls")),
    path("imports/", include("cornerstone.ingest.urls")),
    path("progress/", include("cornerstone.progress.urls")),
    path("problems/", include("cornerstone.problems.urls")),
    path("alerts/", include("cornerstone.alerts.urls")),
    path("dispatch/", include("cornerstone.dispatch.urls")),
    path("stats/", include("cornerstone.stats.urls")),
    path("evaluation/", include("cornerstone.evaluation.urls")),
    path("campaigns/", include("cornerstone.campaigns.urls")),
    path("api/v1/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]
