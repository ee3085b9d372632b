"""Rendering a collected blog: pages, feeds, archive, registry and index (values in, text out)."""
