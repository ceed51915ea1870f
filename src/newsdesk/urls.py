from django.contrib import admin
from django.urls import include, path, re_path

from newsdesk.site.media import media

urlpatterns = [
    path("admin/", admin.site.urls),
    re_path(r"^media/(?P<path>.*)$", media, name="media"),
    path("", include("newsdesk.site.urls")),
]
