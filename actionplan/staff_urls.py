from django.urls import path

from actionplan import staff_views, text_views

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
]
