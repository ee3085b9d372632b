"""``nbpost check``: a linter for a Quarto blog as a whole (codes in ``findings``, docs/check.md).

``runner.check_blog`` runs every rule family (one module each: ``categories``, ``dates``,
``metadata``, ``links``, ``pairs``, ``chunks``, ``listings``) over a blog read once by the
build's collector and caches (``gather``, ``bodies``), and stores the result so a run with
nothing changed reads no post (``state``, ``watch``). ``fixes`` applies the safe fixes.
"""
