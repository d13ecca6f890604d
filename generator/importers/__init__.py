"""Importers: claim files made from fact-checks published elsewhere, so newsrooms can migrate.

* :func:`import_claimreview` reads schema.org ClaimReview markup (one object, a
  list, a DataFeed, JSON Lines, or one ``<script type="application/ld+json">``
  per line as in the Data Commons research dump);
* :func:`import_liar` reads the LIAR data set's tab-separated files.

Both map the reviewer's verdict onto the site's rating scale through one table
(:mod:`generator.importers.common`, extendable under ``extra: claimline:
import_ratings:`` in ``mkdocs.yml``), keep the original review's credit in
``original_review``, validate every claim and check every destination path before
anything is written (:mod:`generator.importers.writer`), write one ``<id>.yaml``
per claim under ``claims/imported/<source>/`` (only the files whose bytes changed)
and never overwrite a file the importer did not write.
Each returns an :class:`ImportReport`; its ``format()`` is what the CLI prints.
"""

from .claimreview import import_claimreview
from .common import DEFAULT_RATINGS, ImportReport, RatingTable
from .liar import import_liar

__all__ = ["import_claimreview", "import_liar", "ImportReport", "RatingTable", "DEFAULT_RATINGS"]
