"""What more than one stage needs, below all of them: media sniffing (`media.py`), the
raw store (`rawstore.py`), decoding a page's bytes (`charset.py`) and the base of every
stage's coded errors (`errors.py`). Imports nothing of the project but itself
(tests/test_layers.py)."""
