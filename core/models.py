from django.db import models


class DataVersion(models.Model):
    """One row, moved on by database triggers at every write to the tables the public pages show
    (core.dataversion installs them). The public page cache keys its pages by it, so a change
    shows on the very next request, whichever path wrote it: a form, the admin, an import, a
    trigger, a data migration or raw SQL."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    version = models.BigIntegerField(default=0)
    changed_at = models.DateTimeField(null=True)

    class Meta:
        verbose_name = "data version"

    def __str__(self):
        return f"data version {self.version}"
