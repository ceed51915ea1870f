from django.urls import path

from newsdesk.site import views

app_name = "site"

urlpatterns = [
    path("", views.home, name="home"),
    # str, not slug: slugs of stored articles and places are only guaranteed to have no "/".
    path("article/<str:slug>/", views.article, name="article"),
    path("section/<slug:slug>/", views.section, name="section"),
    path("place/<str:slug>/", views.place, name="place"),
]
