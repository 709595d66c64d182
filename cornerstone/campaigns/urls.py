"""Pages of the campaigns (三个一批, 集中开工)."""

from django.urls import path

from cornerstone.campaigns import views

app_name = "campaigns"

urlpatterns = [
    path("", views.campaign_list, name="list"),
    path("new/", views.campaign_create, name="create"),
    path("<int:pk>/", views.campaign_detail, name="detail"),
    path("<int:pk>/edit/", views.campaign_edit, name="edit"),
    path("<int:pk>/enrol/", views.campaign_enrol, name="enrol"),
    path("<int:pk>/projects/<int:project_id>/remove/", views.campaign_remove, name="remove"),
    path("<int:pk>/venues/", views.venue_add, name="venue-add"),
    path("<int:pk>/venues/<int:venue_id>/remove/", views.venue_remove, name="venue-remove"),
    path("<int:pk>/confirm/", views.campaign_confirm, name="confirm"),
    path("<int:pk>/results/", views.campaign_results, name="results"),
    path("<int:pk>/projects.xlsx", views.campaign_projects_xlsx, name="projects-xlsx"),
    path("<int:pk>/results.xlsx", views.campaign_results_xlsx, name="results-xlsx"),
]
