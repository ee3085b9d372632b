"""Where a listing item's ``image`` points, resolved the way Quarto's listings resolve it.

- ``listingItemHref`` (``src/project/types/website/listing/website-listing-read.ts``): a
  document's ``image`` that is a URL or starts with ``/`` stays as it is; any other value is
  relative to the document's folder and becomes ``/<folder>/<image>`` (project-rooted).
- ``toInputRelativePaths`` (``src/project/project-shared.ts``, called by
  ``directoryMetadataForInputFile``): a string in a ``_metadata.yml`` that names an existing
  file relative to that ``_metadata.yml`` is rebased onto each document below it, so
  ``posts/_metadata.yml`` saying ``image: banner.png`` means ``/posts/banner.png`` when
  ``posts/banner.png`` exists, and ``/posts/<post>/banner.png`` otherwise.
- Inline listing items and items of a ``.yml`` file keep ``image`` as written; the listing
  page's HTML then resolves it against the page's folder.

Project-rooted paths are what Quarto writes into pages: its website post-processor makes every
``/``-rooted ``href``/``src`` relative to the page (``resolveResourceRefs`` in
``website-resources.ts``), so they work under a ``site-url`` with a path. Feeds make them
absolute with ``website.site-url``.
"""

from __future__ import annotations

import posixpath
import re
from typing import Any

from ...project.paths import UnsafePathError, contained

_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")


def is_reference(value: str) -> bool:
    """Whether an image value is a URL (``https:``, ``data:``, ``//host``) or project-rooted."""
    return value.startswith("/") or bool(_SCHEME.match(value))


def resolve_image(value: Any, base_dir: str) -> str | None:
    """The project-rooted path (or URL) of an ``image`` value relative to ``base_dir``."""
    if not isinstance(value, str) or not value.strip():
        return None
    image = value.strip()
    if is_reference(image):
        return image
    joined = posixpath.normpath(posixpath.join("/", base_dir, image))
    return joined if joined != "/" else None


def rebase_metadata_image(meta: dict[str, Any], root: str, folder: str) -> dict[str, Any]:
    """``meta`` of ``<folder>/_metadata.yml`` with ``image`` made project-rooted when it names
    an existing file next to that ``_metadata.yml`` (a new mapping; ``meta`` is unchanged)."""
    image = meta.get("image")
    if not isinstance(image, str) or not image.strip() or is_reference(image.strip()):
        return meta
    relative = posixpath.normpath(posixpath.join(folder, image.strip()))
    try:
        exists = contained(root, relative, what="image").exists()
    except UnsafePathError:  # outside the project (../x, a symlink out): not rebased
        return meta
    return {**meta, "image": "/" + relative} if exists else meta
