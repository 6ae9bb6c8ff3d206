"""`python -m secls`: the same as the `secls` command."""

import sys

from secls.cli import main

if __name__ == "__main__":
    sys.exit(main())
