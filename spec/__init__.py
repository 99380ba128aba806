"""Definitions every stage shares: the contract's codes, the template identities, numbers.

``spec/*.csv`` is the project's copy of ``../shared/spec`` (a test keeps them equal).
"""
