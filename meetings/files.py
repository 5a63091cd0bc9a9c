"""Files of meeting documents leave the disk with their rows: a document removed (in the admin,
or with its meeting) or given another file. The deletion waits for the commit, so a rolled-back
edit keeps its files."""

from django.db.models.signals import post_delete, pre_save
from django.dispatch import receiver

from core.files import delete_after_commit

from .models import MeetingDocument


@receiver(post_delete, sender=MeetingDocument, dispatch_uid="meeting_document_deleted")
def _deleted(sender, instance, **kwargs):
    delete_after_commit(instance.file)


@receiver(pre_save, sender=MeetingDocument, dispatch_uid="meeting_document_replaced")
def _replaced(sender, instance, raw=False, **kwargs):
    if raw or instance.pk is None:
        return
    before = MeetingDocument.objects.filter(pk=instance.pk).values_list("file", flat=True).first()
    if before and before != instance.file.name:
        delete_after_commit(MeetingDocument(file=before).file)
