from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path

from portal.sitemaps import SITEMAPS

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
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
