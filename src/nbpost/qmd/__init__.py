"""The Quarto markdown format in one place: scan, read, write, and the layout facts between them.

``parse`` (in ``read``) and ``emit`` (in ``write``) are the format's face; the other modules are
their steps: ``scan`` finds chunks and markers (``quickread`` reads the common post by
positions in its text), ``textcells``/``markers``/``cellopts`` decide how a cell's text is
written, ``layout*`` keep what a notebook cannot hold, ``kernels`` and ``ids`` choose the
kernel and the cell ids.
"""

from .read import check_round_trip, parse, split_lines
from .write import emit

__all__ = ["check_round_trip", "emit", "parse", "split_lines"]
