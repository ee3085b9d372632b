"""Reading a blog: find its documents, read each once, merge metadata, and collect a ``Blog``."""
