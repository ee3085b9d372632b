"""Allow ``python -m nbpost``."""

from .cli import run

run()
