"""Benchmarks of cmsdials (ours) against the classic client from PyPI and a raw floor.

Run ``python -m bench --help`` (or ``make bench``); see ``bench/README.md``.
"""
