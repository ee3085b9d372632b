"""The listing generator: collect a blog's posts, then write pages, feeds and registries."""
