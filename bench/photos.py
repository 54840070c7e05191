"""Photo renditions benchmark: `make bench-photos`.

Draws a 24-megapixel JPEG (6000 by 4000, photo-like: gradients, shapes and texture at every
scale), then times
making its whole rendition set (the width ladder in AVIF, WebP and JPEG, and the four crops) as
the upload task does, a few times over, and prints the bytes a reader's browser fetches for the
article page's lead photo at common screens against the original's.

Runs against a throwaway SQLite database and media folder in bench/out/. Options
(environment): BENCH_PHOTO_RUNS (default 3).
"""

import os
import shutil
import statistics
import sys
import time
from io import BytesIO
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out" / "photos"
RUNS = int(os.environ.get("BENCH_PHOTO_RUNS", 3))
#: (screen, CSS width, device pixel ratio): what the article page's `sizes` picks for each.
SCREENS = [("phone", 390, 3), ("laptop", 1280, 1), ("laptop, retina", 1440, 2)]
LEAD_PHOTO_CSS_WIDTH = 672  # sizes="(min-width: 44rem) 42rem, 100vw"


def setup_django():
    shutil.rmtree(OUT, ignore_errors=True)
    OUT.mkdir(parents=True)
    os.environ.update(
        DEBUG="true",
        DATABASE_URL=f"sqlite:///{OUT / 'bench.sqlite3'}",
        MEDIA_ROOT=str(OUT / "media"),
        DJANGO_SETTINGS_MODULE="newsroom.settings",
    )
    sys.path.insert(0, str(ROOT))
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)


def photo_like_jpeg():
    from PIL import Image, ImageDraw

    size = (6000, 4000)
    sky = Image.linear_gradient("L").resize(size).convert("RGB")
    image = Image.blend(sky, Image.new("RGB", size, (40, 90, 150)), 0.6)
    draw = ImageDraw.Draw(image)
    for index in range(40):
        left, top = (index * 977) % 5600, 1800 + (index * 613) % 2000
        draw.rectangle([left, top, left + 300, 4000], fill=(150 + index, 120, 90 + index))
    # Detail at every scale, as a real scene has: noise drawn coarse to fine, each enlarged.
    for scale, weight in ((32, 0.35), (8, 0.25), (2, 0.2), (1, 0.12)):
        small = (size[0] // scale, size[1] // scale)
        texture = Image.merge(
            "RGB", [Image.effect_noise(small, 60).resize(size, Image.Resampling.BICUBIC)] * 3
        )
        image = Image.blend(image, texture, weight)
    buffer = BytesIO()
    image.save(buffer, format="JPEG", quality=90)
    return buffer.getvalue()


def chosen_width(ladder, pixels):
    """The rendition a browser picks from the srcset: the smallest at least `pixels` wide."""
    return next((width for width in ladder if width >= pixels), ladder[-1])


def main():
    setup_django()
    from django.core.files.base import ContentFile

    from photos import renditions
    from photos.models import Photo

    original = photo_like_jpeg()
    photo = Photo.objects.create(image=ContentFile(original, name="bench.jpg"))
    print(f"original: {photo.width} x {photo.height} JPEG, {len(original):,} bytes")
    print(f"Pillow encodes: {', '.join(renditions.modern_formats())} (and JPEG/PNG)")
    timings = []
    for _ in range(RUNS):
        photo.renditions.all().delete()
        started = time.perf_counter()
        made = renditions.make_all(photo.pk)
        timings.append(time.perf_counter() - started)
    print(
        f"full set ({len(made)} renditions): median {statistics.median(timings):.2f} s, "
        f"min {min(timings):.2f} s over {RUNS} runs"
    )
    sizes = {(r.spec, r.format): r.file.size for r in made}
    ladder = renditions.ladder_widths(photo)
    print(
        "\n| screen | rendition | AVIF bytes | WebP bytes | JPEG bytes | saved vs original (AVIF) |"
    )
    print("|---|---|---:|---:|---:|---:|")
    for screen, css_width, ratio in SCREENS:
        width = chosen_width(ladder, min(css_width, LEAD_PHOTO_CSS_WIDTH) * ratio)
        avif, webp, jpeg = (sizes[f"w{width}", fmt] for fmt in ("avif", "webp", "jpeg"))
        saved = 1 - avif / len(original)
        print(
            f"| {screen} ({css_width} px, {ratio}x) | w{width} | {avif:,} | {webp:,} | "
            f"{jpeg:,} | {saved:.1%} |"
        )
    shutil.rmtree(OUT, ignore_errors=True)


if __name__ == "__main__":
    main()
