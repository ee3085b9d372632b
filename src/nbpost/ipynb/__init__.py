"""The Jupyter notebook format: checked JSON in, Document out, and byte-stable JSON back.

``document`` turns notebook JSON into the model and back, ``check`` validates every value the
converter reads, ``jsonwrite`` writes nbformat's exact JSON text, ``outputs`` carries outputs
from an existing notebook onto freshly converted cells.
"""

from .document import (
    check,
    copy_json,
    dumps,
    front_matter_cell,
    loads,
    read,
    reads,
    to_document,
    to_notebook,
)

__all__ = [
    "check",
    "copy_json",
    "dumps",
    "front_matter_cell",
    "loads",
    "read",
    "reads",
    "to_document",
    "to_notebook",
]
