from django.urls import path
from django.views.generic import TemplateView

from . import views

app_name = "public"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path(
        "policies/sourcing/",
        TemplateView.as_view(template_name="public/sourcing_policy.html"),
        name="sourcing_policy",
    ),
    path("search/", views.SearchView.as_view(), name="search"),
    path("preview/<int:pk>/", views.preview, name="preview"),
    path("preview/<int:pk>/<str:token>/", views.shared_preview, name="shared_preview"),
    path(
        "<slug:section>/<int:year>/<int:month>/<int:day>/<slug:slug>/",
        views.article_detail,
        name="article",
    ),
]
