from django.urls import path

from . import register_views, views

app_name = "meetings"
urlpatterns = [
    path("meetings/", views.meeting_list, name="list"),
    path("plans/<slug:plan_slug>/meetings/", views.plan_meetings, name="plan_meetings"),
    path("plans/<slug:plan_slug>/meetings.ics", views.plan_calendar, name="plan_calendar"),
    path("plans/<slug:plan_slug>/meetings/new/", views.create_meeting, name="create"),
    path("plans/<slug:plan_slug>/responses/", register_views.responses, name="responses"),
    path(
        "plans/<slug:plan_slug>/responses/propose/",
        register_views.propose_response,
        name="propose_response",
    ),
    path(
        "plans/<slug:plan_slug>/responses/<int:pk>/publish/",
        register_views.publish_response,
        name="publish_response",
    ),
    path("plans/<slug:plan_slug>/meetings/<slug:slug>/", views.meeting_page, name="meeting"),
    path(
        "plans/<slug:plan_slug>/meetings/<slug:slug>.ics",
        views.meeting_calendar,
        name="meeting_calendar",
    ),
    path("plans/<slug:plan_slug>/meetings/<slug:slug>/edit/", views.edit_meeting, name="edit"),
    path(
        "plans/<slug:plan_slug>/meetings/<slug:slug>/documents/<int:pk>/",
        views.document,
        name="document",
    ),
    path(
        "plans/<slug:plan_slug>/meetings/<slug:slug>/annotations/",
        views.add_annotation,
        name="add_annotation",
    ),
    path("annotations/<int:pk>/", views.annotation, name="annotation"),
    path("annotations/<int:pk>/edit/", views.edit_annotation, name="edit_annotation"),
    path("annotations/<int:pk>/withdraw/", views.withdraw_annotation, name="withdraw_annotation"),
    path("annotations/<int:pk>/done/", views.mark_follow_up_done, name="mark_done"),
]
