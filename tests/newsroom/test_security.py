"""What every response tells the browser, and how the admin login defends itself."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import ArticleFactory, UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"  # UserFactory's
LOGIN = "/admin/login/"


@pytest.fixture
def published_article(editor):
    article = ArticleFactory(created_by=editor)
    article.submit(by=editor)
    article.approve(by=editor)
    article.publish(by=editor)
    return article


@pytest.mark.parametrize("page", ["home", "article"])
def test_public_pages_send_the_security_headers(client, published_article, page):
    url = {"home": "/", "article": published_article.get_absolute_url()}[page]

    response = client.get(url)

    assert response.status_code == 200
    policy = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "object-src 'none'" in policy
    assert "frame-ancestors 'none'" in policy
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"


def log_in(client, username, password, **extra):
    """Post the admin login form as a browser would (the form carries `next`)."""
    data = {"username": username, "password": password, "next": reverse("admin:index"), **extra}
    return client.post(LOGIN, data)


def test_admin_login_locks_a_username_out_after_too_many_failures(client, settings):
    UserFactory(username="maren")
    UserFactory(username="tomas")
    assert log_in(client, "maren", PASSWORD).status_code == 302  # the password is right
    client.logout()

    statuses = [
        log_in(client, "maren", "wrong password").status_code
        for _ in range(settings.AXES_FAILURE_LIMIT)
    ]
    refused = log_in(client, "maren", PASSWORD)

    # django-axes answers the attempt that reaches the limit, and every one after it, with 429.
    assert statuses == [200] * (settings.AXES_FAILURE_LIMIT - 1) + [429]
    assert refused.status_code == 429
    assert "_auth_user_id" not in client.session
    # The lock is on that username from that address, not on the login page.
    assert log_in(client, "tomas", PASSWORD).status_code == 302


def test_admin_login_requires_the_csrf_token():
    UserFactory(username="maren")
    browser = Client(enforce_csrf_checks=True)

    forged = log_in(browser, "maren", PASSWORD)
    browser.get(LOGIN)
    token = browser.cookies["csrftoken"].value
    genuine = log_in(browser, "maren", PASSWORD, csrfmiddlewaretoken=token)

    assert forged.status_code == 403
    assert genuine.status_code == 302
    assert genuine.url == reverse("admin:index")
