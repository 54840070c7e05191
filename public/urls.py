from django.urls import path

from . import feeds, sitemaps, views

app_name = "public"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("policies/<slug:slug>/", views.policy_page, name="policy"),
    path("masthead/", views.masthead, name="masthead"),
    path("corrections/", views.CorrectionsView.as_view(), name="corrections"),
    path("topics/<slug:slug>/", views.TagView.as_view(), name="tag"),
    path("authors/<slug:slug>/", views.AuthorView.as_view(), name="author"),
    path("people/<slug:slug>/", views.PersonView.as_view(), name="person"),
    path("archive/<int:year>/", views.ArchiveView.as_view(), name="archive_year"),
    path("archive/<int:year>/<int:month>/", views.ArchiveView.as_view(), name="archive_month"),
    path(
        "archive/<int:year>/<int:month>/<int:day>/",
        views.ArchiveView.as_view(),
        name="archive_day",
    ),
    *feeds.urlpatterns,
    *sitemaps.urlpatterns,
    path("search/", views.SearchView.as_view(), name="search"),
    path("preview/<int:pk>/", views.preview, name="preview"),
    path("preview/<int:pk>/<str:token>/", views.shared_preview, name="shared_preview"),
    path(
        "<slug:section>/<int:year>/<int:month>/<int:day>/<slug:slug>/",
        views.article_detail,
        name="article",
    ),
    path("<slug:slug>/", views.SectionView.as_view(), name="section"),
]
