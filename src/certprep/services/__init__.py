"""Use cases: one function per user intention; the only layer that opens and commits transactions."""
