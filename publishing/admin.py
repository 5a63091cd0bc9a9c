from django.contrib import admin

from publishing.models import RenderedPdf


@admin.register(RenderedPdf)
class RenderedPdfAdmin(admin.ModelAdmin):
    list_display = ["kind", "plan", "language", "as_of", "status", "requested_at", "render_seconds"]
    list_filter = ["kind", "status"]
    readonly_fields = [f.name for f in RenderedPdf._meta.fields]
