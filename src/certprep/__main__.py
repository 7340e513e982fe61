"""`python -m certprep` runs the command line."""

from certprep.cli import main

if __name__ == "__main__":
    main()
