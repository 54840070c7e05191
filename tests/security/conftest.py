import time
from contextlib import contextmanager

import pytest

#: What a bounded-input case may cost, however hostile the input.
BOUNDED_SECONDS = 2.0


@contextmanager
def within_bound():
    """Fail unless the block costs less than BOUNDED_SECONDS of this process's CPU time.

    CPU time rather than wall time: this machine's cores are shared with other test runs, and a
    hostile input's cost is the work it makes the server do, whoever else is busy. The server
    runs in this process (the test client); PostgreSQL's own work, in its process, is left out.
    """
    started = time.process_time()
    yield
    spent = time.process_time() - started
    assert spent < BOUNDED_SECONDS, f"cost {spent:.2f} s of CPU"


@pytest.fixture
def bounded():
    return within_bound
