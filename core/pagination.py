"""Pages of a long list, with links that keep the other query parameters (a search, a sort).

The links follow GOV.UK's pagination component (templates/core/_pagination.html): previous and
next, the first and last page, the pages beside the current one, and an ellipsis between.
"""

from dataclasses import dataclass

from django.core.paginator import Paginator

PAGE_PARAMETER = "page"


@dataclass(frozen=True)
class PageLink:
    number: int | None  # None: an ellipsis
    url: str
    current: bool = False


@dataclass(frozen=True)
class Pagination:
    page: object  # django.core.paginator.Page
    links: list  # PageLink for each numbered item
    previous_url: str | None
    next_url: str | None

    @property
    def object_list(self):
        return self.page.object_list

    @property
    def needed(self):
        return self.page.paginator.num_pages > 1


def _url(request, number):
    query = request.GET.copy()
    if number == 1:
        query.pop(PAGE_PARAMETER, None)  # the first page has the list's own URL
    else:
        query[PAGE_PARAMETER] = str(number)
    encoded = query.urlencode()
    return f"{request.path}?{encoded}" if encoded else request.path


def paginate(request, object_list, per_page):
    """The page the request asks for (a page number out of range gives the nearest page)."""
    paginator = Paginator(object_list, per_page)
    page = paginator.get_page(request.GET.get(PAGE_PARAMETER))
    links = [
        PageLink(None, "")
        if number == Paginator.ELLIPSIS
        else PageLink(number, _url(request, number), number == page.number)
        for number in paginator.get_elided_page_range(page.number, on_each_side=1, on_ends=1)
    ]
    return Pagination(
        page=page,
        links=links,
        previous_url=_url(request, page.previous_page_number()) if page.has_previous() else None,
        next_url=_url(request, page.next_page_number()) if page.has_next() else None,
    )
