"""What the task workers record about themselves, so that the service can tell it is healthy."""

from datetime import timedelta

from django.db import models
from django.utils import timezone


class WorkerHeartbeatQuerySet(models.QuerySet):
    def alive(self, *, within):
        return self.filter(beat_at__gte=timezone.now() - within)


class WorkerHeartbeat(models.Model):
    """A running task worker, refreshed every few seconds by a thread of the worker itself: when
    the process dies, so do its heartbeats, and its unfinished task is handed to another."""

    worker_id = models.CharField(max_length=64, unique=True)
    hostname = models.CharField(max_length=255)
    pid = models.PositiveIntegerField()
    started_at = models.DateTimeField()
    beat_at = models.DateTimeField(db_index=True)

    objects = WorkerHeartbeatQuerySet.as_manager()

    class Meta:
        ordering = ["-beat_at"]

    def __str__(self):
        return f"worker {self.worker_id} on {self.hostname} (pid {self.pid})"


class PeriodicRun(models.Model):
    """One run of a periodic job for one time slot. The unique slot makes sure that of several
    workers reaching the same minute, exactly one runs the job."""

    job = models.CharField(max_length=50)
    slot = models.DateTimeField(help_text="The start of the period this run is for.")
    worker_id = models.CharField(max_length=64)
    started_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    outcome = models.TextField(blank=True)

    #: How long the record of past runs is kept.
    KEEP = timedelta(days=2)

    class Meta:
        ordering = ["-slot"]
        constraints = [
            models.UniqueConstraint(fields=["job", "slot"], name="one_run_per_job_and_slot")
        ]

    def __str__(self):
        return f"{self.job} for {self.slot:%Y-%m-%d %H:%M}"
