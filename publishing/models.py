"""The cache of rendered PDFs: one row per document key, with the file and the state of its task."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from actionplan.models import ActionPlan


class RenderedPdf(models.Model):
    """A PDF rendered once for one key (the data it shows, its language, its as-of date and the
    template version), stored under MEDIA_ROOT/reports and served again until the data changes."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RENDERING = "rendering", _("Being rendered")
        READY = "ready", _("Ready")
        FAILED = "failed", _("Failed")

    key = models.CharField(max_length=64, unique=True)
    kind = models.CharField(max_length=20)
    plan = models.ForeignKey(ActionPlan, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField(null=True, blank=True)
    language = models.CharField(max_length=8)
    as_of = models.DateField(null=True, blank=True)
    # The site's address as the requester saw it: links in the PDF point there.
    base_url = models.URLField(max_length=300)
    status = models.CharField(max_length=20, choices=Status, default=Status.QUEUED)
    file = models.FileField(upload_to="reports/", blank=True)
    requested_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    rendered_at = models.DateTimeField(null=True, blank=True)
    render_seconds = models.FloatField(null=True, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        # Created by the monitoring app; the table kept its name when the model moved here.
        db_table = "monitoring_renderedpdf"
        verbose_name = _("rendered PDF")
        verbose_name_plural = _("rendered PDFs")

    def __str__(self):
        return f"{self.kind} {self.key[:12]} ({self.status})"
