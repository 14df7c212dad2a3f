"""Testing helpers for users of khuyencong: hypothesis strategies, the storage conformance suite
and the legal case-file plugin.

Import :mod:`khuyencong.testing.strategies` in your own property tests (it needs the
``testing`` extra: ``pip install khuyencong[testing]``).
"""
