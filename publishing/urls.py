from django.urls import path

from publishing import api, views

app_name = "publishing"

plan = "plans/<slug:plan_slug>/"
urlpatterns = [
    path(f"{plan}monitoring/reports/<int:pk>/pdf/", views.report_pdf, name="report_pdf"),
    path(f"{plan}steps/<str:code>/sheet/", views.step_sheet, name="step_sheet"),
    path(f"{plan}steps/<str:code>/sheet/pdf/", views.step_sheet_pdf, name="step_sheet_pdf"),
    path(f"{plan}progress-report/", views.progress_report, name="progress_report"),
    path(f"{plan}progress-report/pdf/", views.progress_report_pdf, name="progress_report_pdf"),
    path(f"{plan}periods/<int:number>/pdf/", views.period_report_pdf, name="period_report_pdf"),
    path(f"{plan}open-data/", views.open_data, name="open_data"),
    path(
        f"{plan}open-data/<slug:dataset>.csv",
        views.download,
        {"fmt": "csv"},
        name="download_csv",
    ),
    path(
        f"{plan}open-data/<slug:dataset>.json",
        views.download,
        {"fmt": "json"},
        name="download_json",
    ),
    path("api/v1/openapi.json", api.openapi, name="api_openapi"),
    path("api/v1/plans/", api.plans, name="api_plans"),
    path("api/v1/plans/<str:plan_slug>/", api.plan, name="api_plan"),
    path("api/v1/plans/<str:plan_slug>/<slug:dataset>/", api.dataset, name="api_dataset"),
]
