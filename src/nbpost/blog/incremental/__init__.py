"""What a build may skip and what it must write.

The reader cache, the stat snapshot of the last build, the manifest of generated files, and the
guarded writer that replaces only nbpost's own outputs.
"""
