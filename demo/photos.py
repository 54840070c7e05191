"""Placeholder photos for the demo: drawn with Pillow, plainly marked "Demo photo" (the demo
ships no pictures of real places or people)."""

import random
from io import BytesIO

from django.core.files.base import ContentFile
from PIL import Image, ImageDraw, ImageFont

from photos.models import Photo

SIZE = (2400, 1600)
SKIES = [
    ("#1d4e6b", "#f2b880"),
    ("#2f3e46", "#cad2c5"),
    ("#3d2c5e", "#f7d794"),
    ("#0b3d2e", "#9ad1d4"),
]


def placeholder_image(seed: int) -> bytes:
    """A sky, hills and a few buildings, with "Demo photo" across them, as a JPEG."""
    rng = random.Random(seed)  # noqa: S311 - a drawing, repeatable from its seed
    top, bottom = (Image.new("RGB", (1, 1), colour).getpixel((0, 0)) for colour in SKIES[seed % 4])
    width, height = SIZE
    image = Image.new("RGB", SIZE)
    draw = ImageDraw.Draw(image)
    for y in range(height):
        mix = y / height
        draw.line(
            [(0, y), (width, y)],
            fill=tuple(round(a + (b - a) * mix) for a, b in zip(top, bottom, strict=True)),
        )
    for layer in range(3):
        base = height * (0.55 + 0.12 * layer)
        points = [(x, base - rng.randint(0, 220)) for x in range(0, width + 200, 200)]
        shade = 40 + 30 * layer
        draw.polygon([(0, height), *points, (width, height)], fill=(shade, shade + 20, shade + 10))
    for _ in range(7):
        left = rng.randint(100, width - 400)
        building_height = rng.randint(250, 600)
        draw.rectangle(
            [left, height - building_height, left + rng.randint(150, 320), height],
            fill="#e8dcc2",
            outline="#5a4a3a",
            width=6,
        )
    font = ImageFont.load_default(size=220)
    label = "Demo photo"
    box = draw.textbbox((0, 0), label, font=font)
    position = ((width - (box[2] - box[0])) // 2, (height - (box[3] - box[1])) // 3)
    draw.text(position, label, font=font, fill="white", stroke_width=10, stroke_fill="black")
    buffer = BytesIO()
    image.save(buffer, format="JPEG", quality=85)
    return buffer.getvalue()


def placeholder_photo(subject: str, seed: int) -> Photo:
    """A placeholder Photo standing in for a picture of `subject`, with its words."""
    return Photo.objects.create(
        image=ContentFile(placeholder_image(seed), name="demo.jpg"),
        alt_text=f"A drawn placeholder marked “Demo photo”: hills and buildings under a sky, "
        f"standing in for a photo of {subject}.",
        caption=f"Demo photo: {subject}. (A drawing; the demo ships no photographs.)",
        credit="Demo placeholder / Ledger graphics",
        source="Drawn for the demo",
        licence=Photo.Licence.STAFF,
        focal_x=SIZE[0] // 2,
        focal_y=SIZE[1] // 3,
    )
