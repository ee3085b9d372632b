"""``jupyter nbconvert --to qmd``: nbconvert's entry to nbpost's lossless converter.

Registered as the ``qmd`` exporter (entry point group ``nbconvert.exporters``), so it is also
listed by ``/api/nbconvert`` and offered in JupyterLab's "Save and Export Notebook As" menu.
"""

from __future__ import annotations

import json
from typing import Any

from nbconvert.exporters import Exporter

from .. import attachments, ipynb, qmd


class QmdExporter(Exporter):
    """Write a notebook as Quarto markdown, byte-exact for notebooks made from a .qmd."""

    export_from_notebook = "Quarto Markdown"
    output_mimetype = "text/markdown"

    def _file_extension_default(self) -> str:
        return ".qmd"

    def from_notebook_node(  # type: ignore[override]
        self, nb: Any, resources: dict[str, Any] | None = None, **kw: Any
    ) -> tuple[str, dict[str, Any]]:
        """Convert a notebook node; attachments become files in ``resources['outputs']``."""
        nb_copy, resources = super().from_notebook_node(nb, resources, **kw)
        # Plain dicts: a NotebookNode inside the metadata is not something YAML can write.
        data = json.loads(json.dumps(nb_copy))
        ipynb.check(data, resources.get("metadata", {}).get("name"))
        doc = ipynb.to_document(data)
        name = resources.get("unique_key") or resources.get("metadata", {}).get("name") or "post"
        files = attachments.extract(doc, attachments.folder_for(name))
        resources["output_extension"] = self.file_extension
        outputs = resources.setdefault("outputs", {})
        outputs.update(files)
        return qmd.emit(doc), resources  # raises FrontMatterError on invalid YAML
