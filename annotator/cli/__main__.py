"""``python -m annotator.cli``: the same program as the ``annotator`` command."""

from annotator.cli import main

main()
