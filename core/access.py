"""The one access contract of every app.

Each app's access module has `get_<thing>_for_user(request, ...)`: it returns the object and an
Access (what this user may do with it), and answers 404 for an object the user may not see, so
that addresses and ids cannot be probed. A view that needs more than seeing calls
`access.require("can_edit")`, which answers 403: the user may know the object exists.
Templates read the same Access, so a page never offers what the view would refuse.
"""

from django.core.exceptions import PermissionDenied


class Access:
    """What one user may do with one object: boolean attributes named can_<verb>. Subclasses are
    frozen dataclasses, computed once per request."""

    def require(self, permission):
        if not getattr(self, permission):
            raise PermissionDenied
        return self
