"""Optimistic concurrency, the same way in every app.

An edit form carries the version of the object it was opened on, in a hidden `version` field
(core.forms.VersionField; VersionedModelForm for a model form, VersionForm for a button). The
service that saves it does one conditional UPDATE on that version; when no row matches, someone
saved in between and it raises StaleEdit with the object as it now stands. The view answers 409
with the saved values beside the user's input, in a form that carries the new version
(core.forms.carry_version).
"""


class StaleEdit(Exception):
    """Someone saved the object after the editor opened it; nothing was saved. `current` is the
    object as saved now (None when it was deleted)."""

    def __init__(self, current=None):
        super().__init__(f"{current!r} changed since the edit started")
        self.current = current
