"""Read-only views for the operator: who follows what, and the outbox with each mail's state.
Addresses are changed only by their owners, through the links in their mails."""

from django.contrib import admin

from following.models import OutboxMail, Subscriber, Subscription


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class SubscriptionInline(admin.TabularInline):
    model = Subscription
    fields = ("kind", "plan", "priority", "step", "created_at", "confirmed_at")
    readonly_fields = fields
    extra = 0
    can_delete = False


@admin.register(Subscriber)
class SubscriberAdmin(ReadOnly):
    list_display = (
        "email",
        "language",
        "frequency",
        "confirmed_at",
        "bounce_count",
        "suspended_at",
    )
    list_filter = ("language", "frequency")
    search_fields = ("email",)
    exclude = ("token",)
    inlines = [SubscriptionInline]


@admin.register(OutboxMail)
class OutboxMailAdmin(ReadOnly):
    list_display = ("created_at", "kind", "to", "subject", "state", "attempts", "sent_at")
    list_filter = ("kind", "state")
    search_fields = ("to", "subject")
    exclude = ("text", "html")
