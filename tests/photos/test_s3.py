"""Photos in an S3-compatible bucket, against a real S3 HTTP API on this machine: moto's
standalone server, started here on 127.0.0.1 (no internet). Uploads, renditions and deletions
make their round trips; fact-check evidence never reaches the bucket."""

import json
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import boto3
import pytest
from django.core.checks import run_checks
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage, storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template import Context, Template
from django.urls import reverse

from photos import renditions
from photos.models import Photo
from tests.factories import UserFactory, image_bytes

from .test_pages import Pictures, srcset_urls

pytestmark = pytest.mark.django_db

BUCKET = "newsroom-media"
CREDENTIALS = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing"}
#: The bucket policy the README gives: anyone may read the photos, nobody may list them.
PUBLIC_READ = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Effect": "Allow",
            "Principal": "*",
            "Action": "s3:GetObject",
            "Resource": f"arn:aws:s3:::{BUCKET}/*",
        }
    ],
}


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def s3_server():
    """moto's S3 server on a free local port, for this module's tests; its address."""
    port = free_port()
    moto_server = Path(sys.executable).with_name("moto_server")
    server = subprocess.Popen(
        [str(moto_server), "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    endpoint = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(endpoint, timeout=1).close()
                break
            except OSError:
                time.sleep(0.1)
        else:
            pytest.fail("moto_server did not start")
        yield endpoint
    finally:
        server.terminate()
        server.wait(timeout=10)


@pytest.fixture
def bucket(s3_server, settings):
    """An empty bucket, and the settings' S3 storage pointed at it, as MEDIA_BUCKET makes it."""
    client = boto3.client("s3", endpoint_url=s3_server, region_name="us-east-1", **CREDENTIALS)
    client.create_bucket(Bucket=BUCKET)
    client.put_bucket_policy(Bucket=BUCKET, Policy=json.dumps(PUBLIC_READ))
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": BUCKET,
                "endpoint_url": s3_server,
                "region_name": "us-east-1",
                "access_key": "testing",
                "secret_key": "testing",
                "querystring_auth": False,
                "file_overwrite": False,
                "object_parameters": {"CacheControl": settings.MEDIA_CACHE_CONTROL},
            },
        },
    }
    yield client
    keys = [item["Key"] for item in client.list_objects_v2(Bucket=BUCKET).get("Contents", [])]
    for key in keys:
        client.delete_object(Bucket=BUCKET, Key=key)
    client.delete_bucket(Bucket=BUCKET)


def keys(client):
    return {item["Key"] for item in client.list_objects_v2(Bucket=BUCKET).get("Contents", [])}


def fetch(url):
    with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 - the local server
        return response.status, response.headers, response.read()


def test_an_upload_its_renditions_and_its_deletion_round_trip_through_the_bucket(
    client, editor, bucket, s3_server, django_capture_on_commit_callbacks
):
    client.force_login(editor)
    response = client.post(
        "/admin/photos/photo/add/",
        {
            "image": SimpleUploadedFile("quay.jpg", image_bytes(size=(1000, 600))),
            "alt_text": "The quay at low tide.",
            "licence": "staff",
        },
    )
    assert response.status_code == 302
    photo = Photo.objects.get()
    stored = bucket.head_object(Bucket=BUCKET, Key=photo.image.name)
    assert stored["ContentType"] == "image/jpeg"
    assert stored["CacheControl"] == "public, max-age=31536000, immutable"

    made = renditions.make_all(photo.pk)

    assert keys(bucket) == {photo.image.name, *(r.file.name for r in made)}
    html = client.get(reverse("admin:photos_photo_change", args=[photo.pk])).text
    assert f"{s3_server}/{BUCKET}/renditions/{photo.pk}/" in html
    picture_html = renditions_page(photo)
    [picture] = Pictures(picture_html).pictures
    for source in picture["sources"]:
        for url in srcset_urls(source["srcset"]):
            assert url.startswith(f"{s3_server}/{BUCKET}/renditions/")
            status, headers, data = fetch(url)
            assert (status, headers["Content-Type"]) == (200, source["type"])
            assert data

    administrator = UserFactory(username="administrator", is_superuser=True)
    client.force_login(administrator)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("admin:photos_photo_delete", args=[photo.pk]), {"post": "yes"})

    assert not Photo.objects.exists()
    assert keys(bucket) == set()


def renditions_page(photo):
    return Template("{% load photo_tags %}{% picture photo %}").render(Context({"photo": photo}))


def test_a_rendition_made_on_first_request_is_stored_in_the_bucket(client, bucket):
    photo = Photo.objects.create(image=ContentFile(image_bytes(size=(800, 500)), name="x.jpg"))
    want = next(w for w in renditions.wanted(photo) if (w.spec, w.format) == ("w480", "webp"))

    response = client.get(f"/photo/{photo.pk}/w480-{want.key}.webp")

    assert response.status_code == 302
    assert response["Location"].startswith(f"{bucket.meta.endpoint_url}/{BUCKET}/renditions/")
    status, headers, data = fetch(response["Location"])
    assert data.startswith(b"RIFF")
    assert (status, headers["Content-Type"]) == (200, "image/webp")
    assert keys(bucket) == {photo.image.name, photo.renditions.get().file.name}


def test_evidence_stays_on_the_local_disk_when_photos_go_to_the_bucket(bucket, settings):
    evidence = storages["private"]
    name = evidence.save("evidence/interview.txt", ContentFile(b"notes"))

    assert default_storage.__class__.__name__ == "S3Storage"
    assert Path(evidence.path(name)).is_file()
    assert keys(bucket) == set()
    assert not [e for e in run_checks() if e.id.startswith("photos.")]


def test_the_check_refuses_evidence_in_the_public_bucket(bucket, settings):
    settings.STORAGES = {**settings.STORAGES, "private": settings.STORAGES["default"]}

    assert [e.id for e in run_checks() if e.id.startswith("photos.")] == ["photos.E001"]


def test_the_check_refuses_evidence_under_media_root(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": Path(settings.MEDIA_ROOT) / "evidence"},
        },
    }

    assert [e.id for e in run_checks() if e.id.startswith("photos.")] == ["photos.E002"]
