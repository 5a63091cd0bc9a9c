from django.urls import path

from following import views

app_name = "following"
urlpatterns = [
    path("follow/plans/<slug:plan_slug>/", views.follow, {"kind": "plan"}, name="follow_plan"),
    path(
        "follow/plans/<slug:plan_slug>/priorities/<str:code>/",
        views.follow,
        {"kind": "priority"},
        name="follow_priority",
    ),
    path(
        "follow/plans/<slug:plan_slug>/steps/<str:code>/",
        views.follow,
        {"kind": "step"},
        name="follow_step",
    ),
    path(
        "follow/plans/<slug:plan_slug>/meetings/",
        views.follow,
        {"kind": "meetings"},
        name="follow_meetings",
    ),
    path("follow/sent/", views.sent, name="sent"),
    path("follow/confirm/<str:token>/", views.confirm, name="confirm"),
    path("follow/manage/<str:token>/", views.manage, name="manage"),
    path("follow/manage/<str:token>/export.json", views.export, name="export"),
    path("follow/manage/<str:token>/delete/", views.delete, name="delete"),
    path("follow/unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("follow/privacy/", views.privacy, name="privacy"),
]
