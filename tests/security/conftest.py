import time
from contextlib import contextmanager

import pytest

#: What a bounded-input case may take, end to end, however hostile the input.
BOUNDED_SECONDS = 2.0


@contextmanager
def within_bound():
    """Fail unless the block finishes in BOUNDED_SECONDS."""
    started = time.perf_counter()
    yield
    elapsed = time.perf_counter() - started
    assert elapsed < BOUNDED_SECONDS, f"took {elapsed:.2f} s"


@pytest.fixture
def bounded():
    return within_bound
