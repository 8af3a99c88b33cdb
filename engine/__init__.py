"""Peace Terms Explorer's engine: load, validate, evaluate, compare and share scenarios.

Pure Python; never imports Streamlit. The app, the CLI (`python -m engine`) and the tests all
go through the names exported here.
"""

from .load import Corpus, DataError, Fault, load_corpus, validate

__all__ = ["Corpus", "DataError", "Fault", "load_corpus", "validate"]
