"""``python -m landkit …`` runs the ``landkit`` command (where the console script is not on PATH)."""

from .cli import main

main()
