"""How the viewer's key bindings are described to people: key names and action documentation.

The help screen and the app's command palette both list a screen's bindings through
``binding_rows``, so neither has to know the other (nor the main screen's module).
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.binding import Binding

KEY_NAMES = {
    "slash": "/",
    "question_mark": "?",
    "left_square_bracket": "[",
    "right_square_bracket": "]",
    "period": ".",
    "comma": ",",
    "pageup": "PgUp",
    "pagedown": "PgDn",
    "equals_sign": "=",
    "minus": "-",
    "plus": "+",
}


def key_name(key: str) -> str:
    """How a binding's key is written for people (``slash`` is ``/``)."""
    return KEY_NAMES.get(key, key)


def action_doc(screen: type, action: str) -> str:
    """The first line of the docstring of the method behind ``action``."""
    method = getattr(screen, f"action_{action.split('(')[0]}", None)
    lines = (method.__doc__ or "").strip().splitlines() if method is not None else []
    return lines[0] if lines else action


@dataclass(frozen=True)
class BindingRow:
    """One binding of a screen: ``key`` as written for people, the binding's ``action`` and
    ``description``, and ``doc``, what the action does (its docstring's first line)."""

    key: str
    action: str
    description: str
    doc: str


def binding_rows(screen: type) -> list[BindingRow]:
    """The ``Binding`` entries of ``screen.BINDINGS``, described."""
    rows = []
    for binding in getattr(screen, "BINDINGS", ()):
        if isinstance(binding, Binding):
            rows.append(
                BindingRow(
                    key_name(binding.key),
                    binding.action,
                    binding.description,
                    action_doc(screen, binding.action),
                )
            )
    return rows
