"""Running `manage.py` in a fresh process, as a developer or a server would."""

import os
import subprocess
import sys

from django.conf import settings


def run_manage(*args, **environment):
    """Run `python manage.py *args` with `environment` added to this process's environment
    (which wins over `.env`); returns the finished process, its output as text."""
    return subprocess.run(
        [sys.executable, str(settings.BASE_DIR / "manage.py"), *args],
        cwd=settings.BASE_DIR,
        env={**os.environ, **environment},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
