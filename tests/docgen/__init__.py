"""Generate report documents from known numbers (tests/docgen/truth.py), in every format."""
