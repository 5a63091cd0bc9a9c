from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path

from core.http import require_safe
from core.pagecache import cached_by_data_version
from portal import health, views
from portal.sitemaps import SITEMAPS

urlpatterns = [
    path(
        "sitemap.xml",
        require_safe(cached_by_data_version(sitemap)),
        {"sitemaps": SITEMAPS},
        name="sitemap",
    ),
    path("healthz", health.healthz, name="healthz"),
    path("robots.txt", views.robots, name="robots"),
    # Asked for by browsers and feed readers that do not read the page's <link rel="icon">.
    # The URL is looked up per request: with DEBUG off it needs collectstatic's manifest, which
    # a fresh checkout does not have yet when `migrate` imports this module.
    path("favicon.ico", views.favicon, name="favicon"),
]
urlpatterns += i18n_patterns(
    path("admin/", admin.site.urls),
    path("accounts/", include("portal.account_urls")),
    path("", include("portal.site_urls")),
    path("", include("actionplan.staff_urls")),
    path("", include("actionplan.urls")),
    path("", include("meetings.urls")),
    path("", include("monitoring.urls")),
    path("", include("publishing.urls")),
    path("", include("following.urls")),
    prefix_default_language=True,
)
