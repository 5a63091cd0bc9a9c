from django.urls import path

from actionplan import feeds, period_views, views

app_name = "actionplan"
urlpatterns = [
    path("", views.home, name="home"),
    path("network/", views.network, name="network"),
    path("plans/<slug:plan_slug>/", views.plan, name="plan"),
    path("plans/<slug:plan_slug>/steps/", views.steps, name="steps"),
    path("plans/<slug:plan_slug>/steps/<str:code>/", views.step, name="step"),
    path("plans/<slug:plan_slug>/priorities/<str:code>/", views.priority, name="priority"),
    path("plans/<slug:plan_slug>/co-creation/", views.cocreation, name="cocreation"),
    path("plans/<slug:plan_slug>/periods/", period_views.period_list, name="periods"),
    path("plans/<slug:plan_slug>/periods/<int:number>/", period_views.period, name="period"),
    path("plans/<slug:plan_slug>/feed/", feeds.PlanChangesFeed(), name="feed"),
    path(
        "plans/<slug:plan_slug>/steps/<str:code>/feed/",
        feeds.StepChangesFeed(),
        name="step_feed",
    ),
    path(
        "plans/<slug:plan_slug>/priorities/<str:code>/feed/",
        feeds.PriorityChangesFeed(),
        name="priority_feed",
    ),
    path("cities/<slug:jurisdiction_slug>/institutions/", views.institutions, name="institutions"),
    path(
        "cities/<slug:jurisdiction_slug>/institutions/<slug:slug>/",
        views.institution,
        name="institution",
    ),
    path("cities/<slug:jurisdiction_slug>/stakeholders/", views.stakeholders, name="stakeholders"),
]
