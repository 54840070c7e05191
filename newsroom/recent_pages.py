"""The pages this process served from the page cache lately, kept in its memory, so that a hit
needs no read of the shared cache while no purge has happened since.

A hit of the page cache costs one read of Redis: the page, its stamp and the purge count
(`newsroom/page_cache.py`). That round trip is most of a hit's cost, more than the rest of the
request. Here each process keeps the pages it found fresh, with the purge count they were fresh
at, and learns of every purge by Redis's publish/subscribe: `purge()` publishes the new count, a
thread of each process listens, and a kept page is served only while the count it was fresh at
is still the latest. The process that purges takes its own count at once, so its next request
already sees the purge; another process sees it when the message arrives (well under a
millisecond on one machine: the listening thread runs at the next request's socket I/O).

While the thread is not listening (starting, or Redis gone), nothing is served from memory and
every request reads the shared cache as before; once it listens again, it reads the purge count
afresh, so a purge published while it was away is never missed. `PAGE_CACHE_LOCAL_ENTRIES`
bounds how many pages a process keeps (0 turns this off); it needs the cache in Redis.
"""

import logging
import os
import threading
import time
from collections import OrderedDict

import redis
from django.conf import settings

logger = logging.getLogger(__name__)

#: Seconds between attempts to listen again after Redis went away.
RETRY_SECONDS = 1.0


class RecentPages:
    """The pages one process keeps, fresh while `purges` (the latest purge count it knows of)
    equals the count each was fresh at."""

    def __init__(self, location, channel, counter, size):
        self.location = location
        self.channel = channel
        self.counter = counter
        self.size = size
        self.pages = OrderedDict()
        self.lock = threading.Lock()
        self.purges = None
        self.listening = False
        self.stopped = False
        self.publisher = redis.Redis.from_url(location)
        self.thread = threading.Thread(target=self._listen, name="recent-pages", daemon=True)
        self.thread.start()

    def get(self, name):
        """The page kept under `name` if no purge has happened since it was found fresh."""
        with self.lock:
            kept = self.pages.get(name)
            if kept is None or not self.listening:
                return None
            page, fresh_at, kept_at = kept
            expired = kept_at < time.monotonic() - settings.PAGE_CACHE_SECONDS
            if fresh_at != self.purges or expired:
                return None
            self.pages.move_to_end(name)
            return page

    def keep(self, name, page, fresh_at):
        """Keep `page`, found fresh (or made) when the purge count was `fresh_at`."""
        with self.lock:
            self.pages[name] = (page, fresh_at, time.monotonic())
            self.pages.move_to_end(name)
            while len(self.pages) > self.size:
                self.pages.popitem(last=False)

    def saw(self, purges):
        """A purge count now current: pages fresh at an older one are no longer served."""
        with self.lock:
            if self.purges is None or purges > self.purges:
                self.purges = purges

    def announce(self, purges):
        """Take the count of a purge this process made, and tell the other processes."""
        self.saw(purges)
        self.publisher.publish(self.channel, purges)

    def stop(self):
        """Serve nothing more from memory, and stop listening (within a second)."""
        self.stopped = True
        with self.lock:
            self.listening = False
            self.pages.clear()

    def _listen(self):
        while not self.stopped:
            try:
                self._subscribe_and_follow()
            except redis.RedisError as error:
                logger.warning("Recent pages: not listening for purges (%s); retrying.", error)
            with self.lock:
                self.listening = False
                self.pages.clear()
            if not self.stopped:
                time.sleep(RETRY_SECONDS)

    def _subscribe_and_follow(self):
        connection = redis.Redis.from_url(self.location)
        subscription = connection.pubsub(ignore_subscribe_messages=False)
        subscription.subscribe(self.channel)
        try:
            while subscription.get_message(timeout=1) is None:
                if self.stopped:
                    return  # before Redis confirmed the subscription
            # Read after subscribing: a purge published before is in the count, one after in a
            # message, so none is missed. Counts only grow: one this process announced meanwhile
            # may be newer than the one read.
            current = connection.get(self.counter)
            if current is not None:
                self.saw(int(current))
            with self.lock:
                self.pages.clear()
                self.listening = True
            while not self.stopped:
                message = subscription.get_message(timeout=1)
                if message is not None and message["type"] == "message":
                    self.saw(int(message["data"]))
        finally:
            subscription.close()
            connection.close()


_recent = {}


def recent_pages(cache, counter):
    """This process's `RecentPages` for `cache` (a Redis cache; `counter` the purge count's key),
    or None when they are off."""
    size = settings.PAGE_CACHE_LOCAL_ENTRIES
    location = settings.CACHES[settings.PAGE_CACHE_ALIAS].get("LOCATION")
    if not size or not isinstance(location, str) or not location.startswith("redis"):
        return None
    # One per process (a forked process starts its own thread) and per cache (tests change it).
    identity = (os.getpid(), location, cache.make_key(counter), size)
    if identity not in _recent:
        for earlier in _recent.values():
            earlier.stop()
        _recent.clear()
        _recent[identity] = RecentPages(
            location, cache.make_key("page-cache:purged"), cache.make_key(counter), size
        )
    return _recent[identity]
