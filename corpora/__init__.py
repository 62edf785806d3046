"""Bundled corpora (installed as ``policynlp._corpora``; see the README beside each folder)."""
