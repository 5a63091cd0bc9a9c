"""Background tasks, enqueued through the django-tasks API (settings.TASKS picks the backend)."""

from django_tasks import task

from publishing import rendering


@task()
def render_document(rendered_pdf_id):
    """Render a queued PDF into the cache (see publishing.rendering.render_row)."""
    return rendering.render_row(rendered_pdf_id)
