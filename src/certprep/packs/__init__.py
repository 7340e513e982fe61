"""Content packs: files on disk -> validated domain values, or a precise list of problems. No database here."""
