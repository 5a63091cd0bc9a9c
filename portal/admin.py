from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import User

from actionplan.models import Affiliation, PlanRole


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
