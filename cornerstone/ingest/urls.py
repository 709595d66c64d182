from django.urls import path

from cornerstone.ingest import views

app_name = "ingest"

urlpatterns = [
    path("", views.imports, name="imports"),
    path("<int:pk>/", views.job_detail, name="job"),
    path("<int:pk>/commit/", views.job_commit, name="commit"),
    path("<int:pk>/errors.xlsx", views.job_errors_xlsx, name="errors"),
    path("ledger.xlsx", views.ledger_xlsx, name="ledger-xlsx"),
    path("template.xlsx", views.template, name="template"),
    path("cycles/<int:pk>/reports.xlsx", views.reports_xlsx, name="reports-xlsx"),
]
