from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import User

from actionplan.models import Affiliation, PlanRole
from portal.models import SignInEvent


class AffiliationInline(admin.TabularInline):
    model = Affiliation
    extra = 0
    autocomplete_fields = ["institution"]


class PlanRoleInline(admin.TabularInline):
    model = PlanRole
    extra = 0


admin.site.unregister(User)


@admin.register(User)
class PortalUserAdmin(UserAdmin):
    """People with their institutions and plan roles on one page, where administrators set them."""

    inlines = [AffiliationInline, PlanRoleInline]


@admin.register(SignInEvent)
class SignInEventAdmin(admin.ModelAdmin):
    """The sign-in audit log, read-only: what the log says must stay as it was written."""

    list_display = ["at", "kind", "username", "user", "ip_address", "detail"]
    list_filter = ["kind"]
    search_fields = ["username", "ip_address", "detail"]
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
