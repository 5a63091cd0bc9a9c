"""Background tasks, enqueued through the django-tasks API (settings.TASKS picks the backend)."""

from django_tasks import task

from monitoring import pdf


@task()
def render_document(rendered_pdf_id):
    """Render a queued PDF into the cache (see monitoring.pdf.render_row)."""
    return pdf.render_row(rendered_pdf_id)
