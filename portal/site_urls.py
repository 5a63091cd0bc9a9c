from django.urls import path

from portal import views

app_name = "portal"
urlpatterns = [
    path("accessibility/", views.accessibility, name="accessibility"),
    path("contacts/", views.contacts, name="contacts"),
]
