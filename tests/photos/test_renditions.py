"""Renditions: the ladder and the crops, made once, remade when the focal point moves."""

import threading
from io import BytesIO

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django_tasks_db.models import DBTaskResult
from PIL import Image, ImageDraw

from photos import renditions
from photos.models import Photo, Rendition
from tests.articles.test_concurrency import run_at_once
from tests.conftest import run_tasks

from .conftest import camera_image

pytestmark = pytest.mark.django_db

FORMATS = {"avif": "AVIF", "webp": "WEBP", "jpeg": "JPEG", "png": "PNG"}


def jpeg(size, *, dot=None):
    """A grey JPEG; with a red dot of radius 12 at `dot`."""
    image = Image.new("RGB", size, (128, 128, 128))
    if dot:
        x, y = dot
        ImageDraw.Draw(image).ellipse([x - 12, y - 12, x + 12, y + 12], fill=(255, 0, 0))
    buffer = BytesIO()
    image.save(buffer, format="JPEG", quality=95)
    return buffer.getvalue()


def make_photo(size=(2400, 1600), image_format="jpg", data=None, **fields):
    data = data or jpeg(size)
    return Photo.objects.create(image=ContentFile(data, name=f"x.{image_format}"), **fields)


def opened(rendition):
    with rendition.file.open("rb") as file:
        return Image.open(BytesIO(file.read()))


def test_the_ladder_and_crops_have_exact_sizes_and_formats_and_no_metadata():
    # Made outside the upload form, so the original still carries a camera's EXIF and GPS.
    photo = make_photo(data=camera_image("JPEG", size=(2400, 1600)))

    made = renditions.make_all(photo.pk)

    found = {(r.spec, r.format): r for r in made}
    ladder = [(320, 213), (480, 320), (640, 427), (960, 640), (1280, 853), (1920, 1280)]
    for width, height in ladder:
        for image_format in ("avif", "webp", "jpeg"):
            rendition = found.pop((f"w{width}", image_format))
            image = opened(rendition)
            assert (image.format, image.size) == (FORMATS[image_format], (width, height))
            assert (rendition.width, rendition.height) == (width, height)
    for spec, size in renditions.CROPS.items():
        image = opened(found.pop((spec, "jpeg")))
        assert (image.format, image.size) == ("JPEG", size)
    assert not found
    assert photo.renditions.count() == len(made) == 22
    assert not any(opened(rendition).getexif() for rendition in made)


def test_a_small_photo_is_never_upscaled():
    photo = make_photo((700, 500))

    made = renditions.make_all(photo.pk)

    sizes = {(r.spec, r.format): (r.width, r.height) for r in made}
    assert sorted({r.width for r in made if r.spec.startswith("w")}) == [320, 480, 640, 700]
    assert sizes["social", "jpeg"] == (700, 368)
    assert sizes["1x1", "jpeg"] == (500, 500)
    assert all(opened(r).size == (r.width, r.height) for r in made)


def test_a_png_keeps_its_family_and_its_transparency():
    buffer = BytesIO()
    Image.new("RGBA", (800, 600), (0, 0, 255, 0)).save(buffer, format="PNG")
    photo = make_photo(image_format="png", data=buffer.getvalue())

    made = {(r.spec, r.format): r for r in renditions.make_all(photo.pk)}

    assert opened(made["w640", "png"]).mode == "RGBA"
    assert opened(made["w640", "webp"]).mode == "RGBA"
    assert opened(made["social", "jpeg"]).getpixel((5, 5)) == (255, 255, 255)  # on white


@pytest.mark.parametrize(
    "focal_point",
    [(30, 30), (2370, 30), (30, 1570), (2370, 1570), (1200, 800), (2000, 300)],
)
def test_the_focal_point_is_inside_every_crop(focal_point):
    photo = make_photo(data=jpeg((2400, 1600), dot=focal_point))
    photo.focal_x, photo.focal_y = focal_point
    photo.save()

    made = renditions.make_all(photo.pk)

    for rendition in made:
        if rendition.spec in renditions.CROPS:
            image = opened(rendition).convert("RGB")
            reds = [
                pixel for pixel in image.get_flattened_data() if pixel[0] > 200 and pixel[1] < 80
            ]
            assert reds, f"{rendition.spec} lost the focal point {focal_point}"


def test_moving_the_focal_point_remakes_the_crops_and_deletes_their_old_files(
    django_capture_on_commit_callbacks,
):
    photo = make_photo((2400, 1600))
    made = renditions.make_all(photo.pk)
    old_crops = {r.pk: r.file.name for r in made if r.spec in renditions.CROPS}
    ladder = {r.pk for r in made if r.spec.startswith("w")}

    with django_capture_on_commit_callbacks(execute=True):
        photo.focal_x, photo.focal_y = 2300, 100
        photo.save()

    assert set(photo.renditions.values_list("pk", flat=True)) == ladder
    assert not any(default_storage.exists(name) for name in old_crops.values())
    remade = renditions.make_all(photo.pk)
    assert sorted(r.spec for r in remade) == sorted(renditions.CROPS)
    assert not {r.file.name for r in remade} & set(old_crops.values())


def test_replacing_the_file_remakes_everything(django_capture_on_commit_callbacks):
    photo = make_photo((1000, 800))
    old_files = [r.file.name for r in renditions.make_all(photo.pk)]

    with django_capture_on_commit_callbacks(execute=True):
        photo.image = ContentFile(jpeg((900, 600)), name="y.jpg")
        photo.save()

    assert not photo.renditions.exists()
    assert not any(default_storage.exists(name) for name in old_files)
    assert {r.width for r in renditions.make_all(photo.pk) if r.spec.startswith("w")} == {
        320,
        480,
        640,
        900,
    }


def test_an_upload_queues_the_task_that_makes_the_renditions(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        photo = make_photo((800, 600))

    assert DBTaskResult.objects.filter(task_path="photos.tasks.make_renditions").count() == 1
    assert run_tasks() == 1
    assert photo.renditions.count() == 4 * 3 + 4


def test_a_second_request_reuses_the_rendition(django_assert_num_queries):
    photo = make_photo((800, 600))
    first = renditions.rendition(photo.pk, "w480", "webp")

    # The photo, locked, and the rendition, between a savepoint and its release.
    with django_assert_num_queries(4):
        again = renditions.rendition(photo.pk, "w480", "webp")

    assert again == first
    assert Rendition.objects.count() == 1


@pytest.mark.parametrize(
    ("spec", "image_format"), [("w960", "jpeg"), ("w480", "gif"), ("banner", "jpeg")]
)
def test_a_rendition_the_photo_has_no_use_for_is_not_made(spec, image_format):
    photo = make_photo((800, 600))

    with pytest.raises(LookupError):
        renditions.rendition(photo.pk, spec, image_format)

    assert not Rendition.objects.exists()


def test_without_avif_in_pillow_photos_are_served_without_it(monkeypatch):
    real_save = Image.Image.save

    def save_without_avif(image, fp, format=None, **options):
        if format == "AVIF":
            raise KeyError("AVIF")
        return real_save(image, fp, format=format, **options)

    monkeypatch.setattr(Image.Image, "save", save_without_avif)
    renditions.modern_formats.cache_clear()
    try:
        assert renditions.modern_formats() == ("webp",)
        made = renditions.make_all(make_photo((400, 300)).pk)
    finally:
        renditions.modern_formats.cache_clear()

    assert {r.format for r in made} == {"webp", "jpeg"}


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_concurrent_requests_make_a_rendition_once(monkeypatch):
    photo = make_photo((1600, 1200))
    real_render, renders, lock = renditions._render, [], threading.Lock()

    def counted_render(*args):
        with lock:
            renders.append(args[-1].spec)
        return real_render(*args)

    monkeypatch.setattr(renditions, "_render", counted_render)

    outcomes = run_at_once(
        lambda: renditions.rendition(photo.pk, "w1280", "avif"),
        lambda: renditions.rendition(photo.pk, "w1280", "avif"),
    )

    assert renders == ["w1280"]
    assert outcomes[0] == outcomes[1] == Rendition.objects.get()
