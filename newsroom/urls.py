from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from operations.views import health_view
from photos.views import media_view, rendition_view
from sourcing.views.my_work import my_work_view

urlpatterns = [
    path("healthz/", health_view, name="health"),
    path("admin/my-work/", admin.site.admin_view(my_work_view), name="my_work"),
    path("", include("planning.urls")),
    path("admin/", include("accounts.urls")),
    path("admin/", admin.site.urls),
    path(
        "photo/<int:photo_id>/<str:name>.<str:extension>",
        rendition_view,
        name="photo_rendition",
    ),
    path("", include("public.urls")),
]
if not settings.MEDIA_BUCKET:  # photos on the local disk are served from here
    urlpatterns.append(path(f"{settings.MEDIA_URL[1:]}<path:path>", media_view, name="media"))

admin.site.site_header = f"{settings.NEWSROOM_NAME} newsroom"
admin.site.site_title = settings.NEWSROOM_NAME
admin.site.index_title = "Desk"

handler403 = "newsroom.views.permission_denied"
handler500 = "public.views.server_error"
