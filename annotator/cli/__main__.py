"""``python -m annotator.cli``: the same program as the ``annotator`` command."""

from annotator.cli import main

# Guarded: a worker process (``spawn``) imports the main module again, and must not run it.
if __name__ == "__main__":
    main()
