"""Tests of the spec pipeline: repairs, pull, canonical form, regen, spec diff."""
