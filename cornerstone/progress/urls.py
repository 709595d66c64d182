"""Pages of periodic reporting."""

from django.urls import path

from cornerstone.progress import views

app_name = "progress"

urlpatterns = [
    path("schedules/", views.schedules, name="schedules"),
    path("schedules/new/", views.schedule_edit, name="schedule-create"),
    path("schedules/<int:pk>/", views.schedule_detail, name="schedule"),
    path("schedules/<int:pk>/edit/", views.schedule_edit, name="schedule-edit"),
    path("schedules/<int:pk>/open/", views.cycle_open, name="cycle-open"),
    path("cycles/<int:pk>/", views.cycle_detail, name="cycle"),
    path("cycles/<int:pk>/close/", views.cycle_close, name="cycle-close"),
    path("reports/<int:pk>/", views.report_detail, name="report"),
    path("reports/<int:pk>/edit/", views.report_edit, name="report-edit"),
    path("reports/<int:pk>/submit/", views.report_submit, name="report-submit"),
    path(
        "reports/<int:pk>/accept/",
        views.report_review,
        {"decision": "accept"},
        name="report-accept",
    ),
    path(
        "reports/<int:pk>/return/",
        views.report_review,
        {"decision": "return"},
        name="report-return",
    ),
    path("reports/<int:pk>/attachments/", views.attachment_add, name="attachment-add"),
    path(
        "reports/<int:pk>/attachments/<int:attachment_pk>/",
        views.attachment_download,
        name="attachment",
    ),
    path(
        "reports/<int:pk>/attachments/<int:attachment_pk>/delete/",
        views.attachment_delete,
        name="attachment-delete",
    ),
    path("mine/", views.mine, name="mine"),
    path("projects/<int:pk>/reports/", views.project_reports, name="project_reports"),
]
