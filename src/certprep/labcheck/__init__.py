"""Lab checking: the learner's files and git repository read (never executed), and `certprep lint`."""
