from django.contrib import admin
from django.urls import include, path, re_path

from newsdesk.metrics.views import metrics
from newsdesk.site.media import media

urlpatterns = [
    path("admin/", admin.site.urls),
    path("metrics", metrics, name="metrics"),
    re_path(r"^media/(?P<path>.*)$", media, name="media"),
    path("", include("newsdesk.site.urls")),
]
