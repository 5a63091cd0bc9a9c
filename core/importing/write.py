"""Writing a validated tree: only what differs, with a count of what was done."""

from dataclasses import dataclass


@dataclass
class ImportSummary:
    """What an import wrote (or would write, on a dry run), said in one line by `str()`."""

    source: str
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    removed: int = 0
    dry_run: bool = False

    def __str__(self):
        verb = "would import" if self.dry_run else "imported"
        return (
            f"{self.source}: {verb} {self.created} created, {self.updated} updated, "
            f"{self.unchanged} unchanged, {self.removed} removed"
        )

    def count(self, created, changed):
        """Count one record of the file: new, changed by the file, or already as the file has it."""
        if created:
            self.created += 1
        elif changed:
            self.updated += 1
        else:
            self.unchanged += 1


class Writer:
    """Writes a bound tree: records in the order of the schema's keys, so that a record is written
    after the records it refers to, and each list's new records in one query."""

    def __init__(self, summary):
        self.summary = summary

    def write(self, root):
        if root.section.model is not None:
            self.save(root)
            self.summary.count(root.is_new, root.changed)
        self.lists(root, counted=True)

    def save(self, node):
        if node.is_new:
            node.instance.save()
        else:
            self.update(node)
        self.set_related(node)

    def update(self, node):
        if node.changed:
            # Columns that record the time of a change (auto_now) are written with it.
            stamps = [
                f.name for f in node.instance._meta.concrete_fields if getattr(f, "auto_now", False)
            ]
            node.instance.save(update_fields=[*node.changed, *stamps])

    def set_related(self, node):
        for attr in node.changed_related:
            getattr(node.instance, attr).set(node.found[attr])

    def lists(self, node, counted):
        for name, section in node.section.lists():
            removed = node.removed.get(name, [])
            if removed:
                section.model.objects.filter(pk__in=[obj.pk for obj in removed]).delete()
                if counted:
                    self.summary.removed += len(removed)
            children = node.children[name]
            if section.save:
                for child in children:
                    self.unit(child, counted)
                continue
            section.model.objects.bulk_create(
                [child.instance for child in children if child.is_new]
            )
            for child in children:
                if not child.is_new:
                    self.update(child)
                self.set_related(child)
                if counted:
                    self.summary.count(child.is_new, child.changed or child.changed_related)
                self.lists(child, counted)

    def unit(self, node, counted):
        """A record written with its lists through the app's `save` hook, and counted as one."""
        dirty = node.dirty()
        if counted:
            self.summary.count(node.is_new, dirty)
        if dirty:
            node.section.save(node, lambda: self.whole(node))

    def whole(self, node):
        self.save(node)
        self.lists(node, counted=False)
