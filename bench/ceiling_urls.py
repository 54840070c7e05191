import os
from pathlib import Path

from django.http import HttpResponse
from django.urls import include, path

PAGE = Path(os.environ["BENCH_CEILING_FILE"]).read_bytes()


def same_bytes(request):
    return HttpResponse(PAGE)


urlpatterns = [
    path("bench-ceiling/", same_bytes),
    path("", include("newsroom.urls")),
]
