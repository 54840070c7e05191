from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("public.urls")),
    *static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT),
]

admin.site.site_header = f"{settings.NEWSROOM_NAME} newsroom"
admin.site.site_title = settings.NEWSROOM_NAME
admin.site.index_title = "Desk"
