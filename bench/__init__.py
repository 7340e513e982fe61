"""Benchmarks (not tests): each prints its figures and the ratio against a named peer measured in the same run."""
