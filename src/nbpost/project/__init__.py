"""The project layer: where a Quarto project is, which files are its inputs, what is safe to write.

Everything here sits below the formats and the blog: it reads ``_quarto.yml`` rules and the
file system, keeps the ``.nbpost/`` state folder, and checks every path derived from content.
"""
