"""A small spinner with a label while workers run; empty when the app is idle."""

from __future__ import annotations

from typing import ClassVar

from textual.content import Content
from textual.reactive import reactive
from textual.timer import Timer
from textual.widget import Widget

from policydiff_tui import sanitize

FRAMES = "⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏"


class WorkStatus(Widget):
    """Shows what the workers are doing (``reading 5 documents…``) with a spinner."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {"work-status--spinner"}

    labels: reactive[tuple[str, ...]] = reactive(())
    frame: reactive[int] = reactive(0)

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._timer: Timer | None = None

    @property
    def busy(self) -> bool:
        return bool(self.labels)

    def start(self, label: str) -> None:
        """A step began (labels are app text)."""
        self.labels = (*self.labels, label)
        if self._timer is None:
            self._timer = self.set_interval(0.1, self._tick)

    def stop(self, label: str) -> None:
        """A step ended."""
        labels = list(self.labels)
        if label in labels:
            labels.remove(label)
        self.labels = tuple(labels)
        if not labels and self._timer is not None:
            self._timer.stop()
            self._timer = None

    def _tick(self) -> None:
        self.frame = (self.frame + 1) % len(FRAMES)

    def render(self) -> Content:
        if not self.labels:
            return Content("")
        spinner = (FRAMES[self.frame], self.get_visual_style("work-status--spinner", partial=True))
        label = sanitize.truncate(sanitize.line(self.labels[-1] + "…"), self.size.width - 2)
        return sanitize.join([spinner, " ", label])
