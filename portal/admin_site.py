"""Django's admin on a site that asks for the second factor (portal.mfa) like the rest of the
portal. django-otp's own OTPAdminSite would ask for a code even with DEBUG, and brings a sign-in
form of its own; this one keeps the admin's sign-in and applies the portal's one rule."""

from django.contrib.admin import AdminSite
from django.contrib.admin.apps import AdminConfig


class PortalAdminSite(AdminSite):
    def has_permission(self, request):
        from portal.mfa import code_is_due  # models are not loaded when this module is

        return super().has_permission(request) and not code_is_due(request)


class PortalAdminConfig(AdminConfig):
    default_site = "portal.admin_site.PortalAdminSite"
