from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path

from operations.views import health_view
from sourcing.views.my_work import my_work_view

urlpatterns = [
    path("healthz/", health_view, name="health"),
    path("admin/my-work/", admin.site.admin_view(my_work_view), name="my_work"),
    path("", include("planning.urls")),
    path("admin/", include("accounts.urls")),
    path("admin/", admin.site.urls),
    path("", include("public.urls")),
    *static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT),
]

admin.site.site_header = f"{settings.NEWSROOM_NAME} newsroom"
admin.site.site_title = settings.NEWSROOM_NAME
admin.site.index_title = "Desk"

handler403 = "newsroom.views.permission_denied"
handler500 = "public.views.server_error"
