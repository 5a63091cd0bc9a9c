from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.templatetags.static import static
from django.urls import include, path
from django.views.generic import RedirectView

from core.http import require_safe
from portal import health, views
from portal.sitemaps import SITEMAPS

urlpatterns = [
    path("sitemap.xml", require_safe(sitemap), {"sitemaps": SITEMAPS}, name="sitemap"),
    path("healthz", health.healthz, name="healthz"),
    path("robots.txt", views.robots, name="robots"),
    # Asked for by browsers and feed readers that do not read the page's <link rel="icon">.
    path(
        "favicon.ico",
        RedirectView.as_view(url=static("icons/favicon.svg"), permanent=True),
        name="favicon",
    ),
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
    prefix_default_language=True,
)
