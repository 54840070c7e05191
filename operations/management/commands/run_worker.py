from django_tasks_db.management.commands import db_worker

from operations.worker import ResilientWorker


class Command(db_worker.Command):
    help = (
        "Run the task worker: background tasks, scheduled publishing every minute, recovery of "
        "tasks left by a stopped worker; survives database outages. Takes db_worker's options."
    )

    def handle(
        self,
        *,
        verbosity,
        queue_name,
        interval,
        batch,
        backend_name,
        startup_delay,
        max_tasks,
        worker_id,
        exclude_queues,
        **options,
    ):
        # --reload is ignored: a worker restarted for a code change would cut its task short.
        self.configure_logging(verbosity)
        worker = ResilientWorker(
            queue_names=queue_name.split(","),
            interval=interval,
            batch=batch,
            backend_name=backend_name,
            startup_delay=startup_delay,
            max_tasks=max_tasks,
            worker_id=worker_id,
            excluded_queue_names=exclude_queues.split(",") if exclude_queues else [],
        )
        worker.configure_signals()
        worker.run()
