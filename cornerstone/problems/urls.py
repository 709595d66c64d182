"""Pages of problems, the task and responsibility lists, escalation and supervision orders."""

from django.urls import path

from cornerstone.problems import order_views, views

app_name = "problems"

urlpatterns = [
    path("", views.problem_list, name="list"),
    path("problems.xlsx", views.problem_xlsx, name="list_xlsx"),
    path("<int:pk>/", views.problem_detail, name="detail"),
    path("<int:pk>/step/", views.problem_step, name="step"),
    path("<int:pk>/reassign/", views.problem_reassign, name="reassign"),
    path("<int:pk>/order/", order_views.order_issue_problem, name="order_issue_problem"),
    path("projects/<int:pk>/", views.project_problems, name="project_problems"),
    path("tasks/", views.task_list, name="tasks"),
    path("responsibility/", views.responsibility_list, name="responsibility"),
    path("policy/", views.policy, name="policy"),
    path("orders/", order_views.order_list, name="orders"),
    path("orders/<int:pk>/", order_views.order_detail, name="order_detail"),
    path("orders/<int:pk>/respond/", order_views.order_respond, name="order_respond"),
    path("orders/<int:pk>/close/", order_views.order_close, name="order_close"),
    path("lights/<int:pk>/order/", order_views.order_issue_light, name="order_issue_light"),
]
