from django.urls import path

from actionplan import period_views, staff_views, text_views

app_name = "staff"
urlpatterns = [
    path("my-steps/", staff_views.my_steps, name="my_steps"),
    path(
        "plans/<slug:plan_slug>/steps/<str:code>/update/",
        staff_views.update_step,
        name="update_step",
    ),
    path("evidence/<int:pk>/", staff_views.evidence_file, name="evidence"),
    path(
        "plans/<slug:plan_slug>/<str:kind>/<str:code>/texts/",
        text_views.edit_texts,
        name="edit_texts",
    ),
    path("plans/<slug:plan_slug>/translations/", text_views.translations, name="translations"),
    path("report-evidence/<int:pk>/", staff_views.report_evidence_file, name="report_evidence"),
    path(
        "plans/<slug:plan_slug>/periods/<int:number>/steps/<str:code>/report/",
        period_views.file_report,
        name="file_report",
    ),
    path(
        "plans/<slug:plan_slug>/periods/<int:number>/edit/",
        period_views.edit_period,
        name="edit_period",
    ),
    path(
        "plans/<slug:plan_slug>/past-updates/",
        period_views.import_past_updates,
        name="import_past_updates",
    ),
    path(
        "plans/<slug:plan_slug>/periods/generate/",
        period_views.generate_periods,
        name="generate_periods",
    ),
]
