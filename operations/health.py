"""The service's health, as a load balancer or a monitor asks for it."""

import time
from dataclasses import dataclass, field

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, connection
from django.db.models import Case, F, When
from django.utils import timezone
from django.utils.crypto import get_random_string
from django_tasks_db.models import DBTaskResult, get_date_max

from .models import WorkerHeartbeat


@dataclass
class Check:
    ok: bool
    detail: dict = field(default_factory=dict)


def _timed(probe):
    started = time.perf_counter()
    try:
        detail = probe() or {}
    except Exception as error:
        return Check(False, {"error": type(error).__name__})
    return Check(True, {**detail, "ms": round((time.perf_counter() - started) * 1000, 1)})


def _database():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def _cache():
    key, value = f"health:{get_random_string(12)}", get_random_string(12)
    cache.set(key, value, timeout=10)
    if cache.get(key) != value:
        raise RuntimeError("cache did not keep a value")
    cache.delete(key)


def queue_check(now=None) -> Check:
    """The oldest task that is due and still waiting, and the newest worker heartbeat."""
    now = now or timezone.now()
    try:
        due_since = Case(
            When(run_after=get_date_max(), then=F("enqueued_at")), default=F("run_after")
        )
        waiting = (
            DBTaskResult.objects.ready()
            .annotate(due_since=due_since)
            .order_by("due_since")
            .values_list("due_since", flat=True)
            .first()
        )
        beat = WorkerHeartbeat.objects.order_by("-beat_at").values_list("beat_at", flat=True)
        beat = beat.first()
    except DatabaseError as error:
        return Check(False, {"error": type(error).__name__})
    oldest = (now - waiting).total_seconds() if waiting else 0.0
    silence = (now - beat).total_seconds() if beat else None
    stuck = oldest > settings.HEALTH_QUEUE_MAX_WAIT_SECONDS
    silent = silence is None or silence > settings.WORKER_STALE_SECONDS
    return Check(
        not (stuck or silent),
        {
            "oldest_ready_task_seconds": round(oldest, 1),
            "last_worker_heartbeat_seconds": None if silence is None else round(silence, 1),
        },
    )


def health() -> dict[str, Check]:
    return {"database": _timed(_database), "cache": _timed(_cache), "tasks": queue_check()}


def problems(report: dict[str, Check]) -> list[str]:
    """Sentences for a log line, one per failing check."""
    found = []
    for name, check in report.items():
        if check.ok:
            continue
        if name == "tasks" and "error" not in check.detail:
            beat = check.detail["last_worker_heartbeat_seconds"]
            found.append(
                "the task queue is stuck: the oldest due task has waited "
                f"{check.detail['oldest_ready_task_seconds']:.0f} s, and the last worker "
                + ("heartbeat was never" if beat is None else f"heartbeat was {beat:.0f} s ago")
            )
        else:
            found.append(f"{name}: {check.detail.get('error', 'failing')}")
    return found
