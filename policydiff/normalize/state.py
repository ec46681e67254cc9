"""One normalization in progress, and the signature every step has.

A step is a function ``step(state) -> None``: it reads ``state.work`` (and, when it needs them,
``state.source`` or ``state.script``), then replaces the working text through
:meth:`State.edit` or :meth:`State.apply`, sets the script, or adds warnings. The step table
in ``policydiff.normalize`` runs them in order.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from policydiff.normalize.offsets import Change, Edit, Work, apply_edits, record_changes


@dataclass
class State:
    """What the steps of one ``normalize`` call read and add to.

    ``source`` is the decoded source (never changed); ``work`` the text so far with its offset
    map; ``script`` the detected script (``none`` until the ``detect_script`` step ran);
    ``changes`` and ``warnings`` grow in step order.
    """

    source: str
    work: Work
    script: str = "none"
    changes: list[Change] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @classmethod
    def start(cls, source: str) -> State:
        return cls(source, Work.of(source))

    def edit(
        self, edits: Sequence[Edit], step: str, *, reported: Sequence[Edit] | None = None
    ) -> None:
        """Apply ``edits`` and record them as changes of ``step``.

        ``reported`` records other edits than the applied ones (the same text change described
        in smaller pieces: ``to_simplified`` applies a whole line, reports the changed runs).
        """
        shown = edits if reported is None else reported
        self.apply(edits, record_changes(self.work, shown, step))

    def apply(self, edits: Sequence[Edit], changes: Sequence[Change]) -> None:
        """Apply ``edits`` and record ``changes`` as they are (a step that describes its own)."""
        self.changes.extend(changes)
        self.work = apply_edits(self.work, edits)


Step = Callable[[State], None]
"""The signature of every step."""
