"""The change report of a pair of documents: what this year's report changed.

``build.change_report(comparison, a, b)`` assembles a ``model.ChangeReport``: the indicators
table (``indicators``), the new, dropped and renamed formulations (``formulations``,
``renames``), the per-theme summary (``summary``); every entry cited by its source line
(``policydiff.citations``). Written as JSON by ``formats.changes``, shown by
``render.changes``.
"""
