"""certprep: a self-hosted coach for the Microsoft DevOps Engineer Expert credential (exam AZ-400)."""

__version__ = "0.1.0"
