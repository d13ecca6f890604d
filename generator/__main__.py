"""The ``claimline`` program (and ``python -m generator``): the click commands, then a quick exit."""

import os
import sys

from .cli import main


def run() -> None:
    """Run the command, then leave without freeing the heap object by object.

    A large run holds millions of objects at the end (half a gigabyte at 10,000 claims), and tearing
    them down one by one took a quarter of a second after the last file was written and the summary
    printed.  Every file is closed by then; only the two console streams are flushed here.
    """
    try:
        main(prog_name="claimline")
        code = 0
    except SystemExit as exc:
        code = exc.code
    if code is not None and not isinstance(code, int):
        print(code, file=sys.stderr)
        code = 1
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError):  # a closed pipe: let Python report it as it always does
        sys.exit(code)
    os._exit(code or 0)


if __name__ == "__main__":
    run()
