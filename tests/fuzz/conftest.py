"""The fuzz suite: hostile input into every reader, asserting that only the library's errors
escape and that nothing is stored from a refused input.

Its shared settings and strategies live in ``tests/_fuzz.py``, beside the other shared test
helpers (``tests/conftest.py`` makes that folder importable).
"""
