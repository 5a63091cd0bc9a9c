from django.urls import path

from monitoring import views

app_name = "monitoring"

plan = "plans/<slug:plan_slug>/"
urlpatterns = [
    path(f"{plan}monitoring/", views.body, name="body"),
    path(f"{plan}monitoring/edit/", views.body_edit, name="body_edit"),
    path(f"{plan}monitoring/reports/new/", views.report_new, name="report_new"),
    path(f"{plan}monitoring/reports/<int:pk>/", views.report, name="report"),
    path(f"{plan}monitoring/reports/<int:pk>/edit/", views.report_edit, name="report_edit"),
    path(f"{plan}steps/<str:code>/assessment/", views.assessment_edit, name="assessment_edit"),
    path(
        f"{plan}steps/<str:code>/assessment/history/",
        views.assessment_history,
        name="assessment_history",
    ),
    path("monitoring/evidence/<int:pk>/", views.evidence, name="evidence"),
]
