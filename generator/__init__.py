"""claimline: a static fact-check and timeline site generator.

The pipeline, one module per stage: read → model → link → plan → render → write,
then the site engine (MkDocs + Material).  :mod:`generator.api` is the library
API the CLI calls.
"""

__version__ = "0.1.0"
