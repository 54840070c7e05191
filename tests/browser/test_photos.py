"""Photos in a real browser: the reader gets a modern rendition at the right size, and the desk
sets the focal point by mouse and keyboard and picks photos from thumbnails."""

import pytest
from django.urls import reverse

from articles.workflow import Status
from demo.photos import placeholder_photo
from photos.models import Photo
from tests.articles.conftest import drive_to
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def photo():
    return placeholder_photo("the harbour at dusk", seed=3)


@pytest.mark.parametrize("width", ["phone", "desktop"])
def test_the_reader_gets_an_avif_rendition_sized_for_the_screen(open_page, editor, photo, width):
    article = drive_to(
        ArticleFactory(headline="Harbour lights return", lead_photo=photo),
        Status.PUBLISHED,
        by=editor,
    )
    tab = open_page(width=width)

    tab.page.goto(article.get_absolute_url())
    image = tab.page.locator(".lead-photo img")
    image.evaluate("img => img.decode()")

    current = image.evaluate("img => img.currentSrc")
    assert f"/photo/{photo.pk}/w" in current and current.endswith(".avif")  # made on demand
    shown = image.evaluate("img => img.getBoundingClientRect().width")
    natural = image.evaluate("img => img.naturalWidth")
    assert shown <= natural <= 2 * 1920  # never blurred by upscaling, never the original
    assert photo.image.name not in current
    assert tab.overflow() == 0
    tab.screenshot(f"photos-article-{width}")
    assert tab.problems == []


@pytest.mark.parametrize("width", ["phone", "desktop"])
def test_the_focal_point_is_set_by_click_and_by_keyboard(open_page, editor, photo, width):
    tab = open_page(editor, width=width)
    tab.page.goto(reverse("admin:photos_photo_change", args=[photo.pk]))
    frame = tab.page.locator(".focal-point-frame")
    box = frame.bounding_box()

    frame.click(position={"x": box["width"] * 0.25, "y": box["height"] * 0.75})
    clicked = int(tab.page.input_value("#id_focal_x")), int(tab.page.input_value("#id_focal_y"))
    frame.focus()
    tab.page.keyboard.press("ArrowRight")
    tab.page.keyboard.press("Shift+ArrowUp")
    status = tab.page.locator("#focal-point-status").text_content()
    tab.screenshot(f"photos-focal-point-{width}")
    tab.page.click("input[name=_continue]")
    tab.page.wait_for_selector(".messagelist .success")

    assert abs(clicked[0] - 600) <= 24 and abs(clicked[1] - 1200) <= 24
    photo.refresh_from_db()
    assert photo.focal_point == (clicked[0] + 48, clicked[1] - 240)
    assert status.startswith("Focal point: 27% across, 60% down")
    assert tab.overflow() == 0
    assert tab.problems == []


def test_the_picker_puts_the_chosen_photo_on_the_story(open_page, editor, photo):
    placeholder_photo("the council chamber", seed=1)
    article = ArticleFactory(headline="Pier sale vote delayed", created_by=editor)
    tab = open_page(editor)
    tab.page.goto(reverse("admin:articles_article_change", args=[article.pk]))

    with tab.page.expect_popup() as popup_info:
        tab.page.click(".photo-picker-open")
    picker = popup_info.value
    picker.fill("#photo-search", "harbour")
    picker.press("#photo-search", "Enter")
    picker.wait_for_selector(".photo-picker-choice")
    assert picker.locator(".photo-picker-choice").count() == 1
    picker.screenshot(path=str(tab.screenshot("photos-picker-form").parent / "photos-picker.png"))
    picker.click(".photo-picker-choice")

    tab.page.wait_for_selector(".photo-picker-thumbnail:not([hidden])")
    assert tab.page.input_value("#id_lead_photo") == str(photo.pk)
    assert "the harbour at dusk" in tab.page.text_content(".photo-picker-label")
    tab.screenshot("photos-picker-chosen")
    assert tab.problems == []
    assert Photo.objects.count() == 2
