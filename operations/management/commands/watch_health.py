import logging
import time

from django.core.management.base import BaseCommand
from django.db import close_old_connections

from operations.health import health, problems

logger = logging.getLogger("newsroom.health")


class Command(BaseCommand):
    help = (
        "Check the service's health (database, cache, task queue and workers) every --every "
        "seconds and log a warning for each problem, e.g. a stuck task queue. --once checks once "
        "and exits 1 when something fails."
    )

    def add_arguments(self, parser):
        parser.add_argument("--every", type=float, default=60.0, help="seconds between checks")
        parser.add_argument("--once", action="store_true", help="check once and exit")

    def handle(self, *, every, once, **options):
        while True:
            found = problems(health())
            for problem in found:
                logger.warning("Health: %s", problem)
            if once:
                if found:
                    raise SystemExit(1)
                self.stdout.write("Healthy.")
                return
            time.sleep(every)
            # A long-lived process: drop connections that broke or outlived CONN_MAX_AGE.
            close_old_connections()
