"""Every demo story, the seed story too, has a drawn placeholder photo, plainly marked."""

from io import BytesIO

import pytest
from PIL import Image

from articles.models import Article
from demo.photos import SIZE, placeholder_image

pytestmark = pytest.mark.django_db


def test_every_demo_story_has_a_placeholder_photo_with_its_words(load_demo, seed_path):
    load_demo("--seed", str(seed_path))

    articles = Article.objects.select_related("lead_photo")
    assert articles.count() == 5
    for article in articles:
        photo = article.lead_photo
        assert photo is not None, article.slug
        assert "Demo photo" in photo.alt_text and photo.caption.startswith("Demo photo: ")
        assert photo.credit == "Demo placeholder / Ledger graphics"
        assert (photo.width, photo.height) == SIZE
    assert len({article.lead_photo_id for article in articles}) == 5


def test_each_placeholder_is_a_different_drawing():
    first, second = (Image.open(BytesIO(placeholder_image(seed))) for seed in (1, 2))

    assert first.format == "JPEG" and first.size == SIZE
    assert first.tobytes() != second.tobytes()
    assert len(first.getcolors(maxcolors=1 << 20)) > 50  # drawn, not a flat colour
