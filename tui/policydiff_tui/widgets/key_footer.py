"""Textual's footer, rebuilt only when the keys it shows change.

Textual's ``Footer`` recomposes all its keys whenever the screen's bindings are refreshed, and a
focus change refreshes them: moving focus to the phrase panel (``f``) cost 0.1–0.2 s of new
widgets, each with its own styles, although the panel's own bindings are all hidden and the
footer showed the same keys before and after. ``KeyFooter`` remembers what it last showed
(key, description, enabled, tooltip, group of every shown binding, and the palette key) and
skips the rebuild when that has not changed.
"""

from __future__ import annotations

from collections.abc import Hashable

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer


class KeyFooter(Footer):
    """A ``Footer`` that recomposes only when the keys it would show are different."""

    _shown: tuple[Hashable, ...] | None = None
    """What the footer shows now (``None``: not composed with bindings yet)."""

    def _keys(self) -> tuple[Hashable, ...]:
        """What ``Footer.compose`` would show for the screen's bindings as they are now."""
        active = self.screen.active_bindings
        shown = tuple(
            (binding.key, binding.action, binding.description, enabled, tooltip,
             binding.group)
            for _node, binding, enabled, tooltip in active.values()
            if binding.show
        )
        palette = None
        if self.show_command_palette and self.app.ENABLE_COMMAND_PALETTE:
            found = active.get(self.app.COMMAND_PALETTE_BINDING)
            if found is not None:
                palette = (found[1].key, found[1].description, found[2], found[3])
        return (shown, palette)

    def compose(self) -> ComposeResult:
        self._shown = self._keys() if self._bindings_ready else None
        yield from super().compose()

    def bindings_changed(self, screen: Screen[object]) -> None:
        if (
            self._shown is not None
            and self.is_attached
            and screen is self.screen
            and self._keys() == self._shown
        ):
            return
        super().bindings_changed(screen)
