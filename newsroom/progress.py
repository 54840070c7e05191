"""A progress bar for long management commands, written to their stderr."""


class ProgressBar:
    """`with ProgressBar(command.stderr, total, "Indexing") as bar: bar.advance(n)` draws
    `Indexing [#####.....]  50% 500/1000` on one line, redrawn at most once per percent."""

    WIDTH = 30

    def __init__(self, stream, total, label):
        self.stream = stream
        self.total = total
        self.label = label
        self.done = 0
        self._drawn_percent = -1

    def __enter__(self):
        self._draw()
        return self

    def __exit__(self, *exc_info):
        self.stream.write("")  # ends the line (OutputWrapper adds the newline)

    def advance(self, count):
        self.done = min(self.total, self.done + count)
        self._draw()

    def _draw(self):
        percent = 100 if not self.total else self.done * 100 // self.total
        if percent == self._drawn_percent:
            return
        self._drawn_percent = percent
        filled = self.WIDTH * percent // 100
        bar = "#" * filled + "." * (self.WIDTH - filled)
        self.stream.write(
            f"\r{self.label} [{bar}] {percent:3d}% {self.done}/{self.total}", ending=""
        )
        self.stream.flush()
