"""The Textual viewer for policydiff.

A client of the core: it imports policydiff, never the reverse.
"""
