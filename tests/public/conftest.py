# The workflow tests' fixtures: stories driven into any state by real transitions.
from tests.articles.conftest import article_in, reporter_person  # noqa: F401
