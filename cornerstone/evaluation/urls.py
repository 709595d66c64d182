"""Pages of the horse-race evaluation: schemes, rounds, score sheets, the leaderboard."""

from django.urls import path

from cornerstone.evaluation import scheme_views, views

app_name = "evaluation"

urlpatterns = [
    path("", views.round_list, name="rounds"),
    path("new/", views.round_create, name="round-create"),
    path("<int:pk>/", views.round_detail, name="round"),
    path("<int:pk>/move/<str:action>/", views.round_move, name="round-move"),
    path("<int:pk>/units/", views.round_units, name="round-units"),
    path("<int:pk>/evaluators/", views.round_evaluator, name="round-evaluator"),
    path("<int:pk>/projects/", views.round_projects, name="round-projects"),
    path("<int:pk>/daily/", views.daily_add, name="daily-add"),
    path("<int:pk>/self/", views.self_submit, name="self-submit"),
    path("<int:pk>/sheets/<int:unit>/", views.sheet, name="sheet"),
    path("<int:pk>/board/", views.board, name="board"),
    path("<int:pk>/results.xlsx", views.export_xlsx, name="export-xlsx"),
    path("<int:pk>/results.docx", views.export_docx, name="export-docx"),
    path("schemes/", scheme_views.scheme_list, name="schemes"),
    path("schemes/<int:pk>/", scheme_views.scheme_detail, name="scheme"),
]
