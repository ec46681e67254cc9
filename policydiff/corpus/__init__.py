"""Corpus mode: thousands of reports in a Parquet store, processed as Dask tasks.

``policydiff corpus build|phrases|trace|spread`` (``command.py``, a plug-in of the CLI). The
store (``store.py``) holds one row per document (metadata, normalized and source text, token
lengths, or the error that stopped it), its sections, its theme shares and its character
shingles, keyed by a hash of the input's bytes and the settings, so that a re-build only
reads new documents. ``build.py`` runs the per-document stages (decode, normalize, segment,
themes, tokens: ``document.load_document`` and ``document.document_tokens``) as tasks;
``phrases.py`` finds the shared phrases of ``policydiff.phrases`` by a partitioned algorithm;
``trace.py`` and ``spread.py`` answer diffusion questions; ``run.py`` is the one place that
talks to Dask (local processes by default, a ``distributed`` scheduler with ``--scheduler``).

Dask, distributed and pyarrow are the optional extra ``policydiff[corpus]``: nothing outside
this package imports them, and this package imports them only inside functions.
"""
