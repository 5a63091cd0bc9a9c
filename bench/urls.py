"""The portal's URLs and a bare view: the cost of Django itself (middleware, URL resolution, one
small response), the yardstick every page is measured against."""

from django.http import HttpResponse
from django.urls import path
from django.views.decorators.cache import never_cache

from portal.urls import urlpatterns as portal_urlpatterns


@never_cache
def ok(request):
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("bench/ok", ok), *portal_urlpatterns]
