"""Pages of dispatch."""

from django.urls import path

from cornerstone.dispatch import views

app_name = "dispatch"

urlpatterns = [
    path("meetings/", views.meeting_list, name="meetings"),
    path("meetings/new/", views.meeting_create, name="meeting-create"),
    path("meetings/<int:pk>/", views.meeting_detail, name="meeting"),
    path("meetings/<int:pk>/assemble/", views.meeting_assemble, name="meeting-assemble"),
    path("meetings/<int:pk>/status/", views.meeting_move, name="meeting-move"),
    path("meetings/<int:pk>/minutes/", views.meeting_minutes, name="meeting-minutes"),
    path("meetings/<int:pk>/decisions/", views.decision_add, name="decision-add"),
    path("briefings/", views.briefing_list, name="briefings"),
    path("briefings/new/", views.briefing_create, name="briefing-create"),
    path("briefings/<int:pk>/", views.briefing_detail, name="briefing"),
    path(
        "briefings/<int:pk>/download/<str:kind>/",
        views.briefing_download,
        name="briefing-download",
    ),
]
