from django.urls import path

from cornerstone.plans import region_views, views

app_name = "plans"

urlpatterns = [
    path("projects/<int:pk>/plans/", views.project_plans, name="project"),
    path("projects/<int:pk>/plans/year/", views.plan_year_jump, name="year-jump"),
    path("projects/<int:pk>/plans/<int:year>/", views.plan_year_edit, name="year-edit"),
    path("projects/<int:pk>/plans/<int:year>/delete/", views.plan_year_delete, name="year-delete"),
    path("projects/<int:pk>/milestones/new/", views.milestone_edit, name="milestone-create"),
    path(
        "projects/<int:pk>/milestones/<int:milestone_pk>/",
        views.milestone_edit,
        name="milestone-edit",
    ),
    path(
        "projects/<int:pk>/milestones/<int:milestone_pk>/delete/",
        views.milestone_delete,
        name="milestone-delete",
    ),
    path("projects/<int:pk>/tasks/new/", views.task_edit, name="task-create"),
    path("projects/<int:pk>/tasks/<int:task_pk>/", views.task_edit, name="task-edit"),
    path("projects/<int:pk>/tasks/<int:task_pk>/delete/", views.task_delete, name="task-delete"),
    path("projects/<int:pk>/schedule/target/", views.schedule_target_edit, name="target"),
    path("projects/<int:pk>/schedule.xlsx", region_views.schedule_xlsx, name="schedule-xlsx"),
    path("projects/<int:pk>/wallchart/", region_views.wallchart, name="wallchart"),
    path("plans/week/", region_views.week, name="week"),
    path("plans/rolling/", region_views.rolling, name="rolling"),
    path("plans/monthly/", region_views.monthly, name="monthly"),
    path("plans/monthly.xlsx", region_views.monthly_xlsx, name="monthly-xlsx"),
    path("plans/calendar/", region_views.calendar, name="calendar"),
    path("plans/calendar/edit/", region_views.calendar_edit, name="calendar-edit"),
]
