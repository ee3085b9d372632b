"""Helpers shared by the sync tests: a small post, writing files, fake runs, git."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

POST = """---
title: A post
---

Intro text.

```{python}
x = 1
```

Between.

```{python}
print(x)
```
"""

GIT_ENV = {
    "GIT_AUTHOR_NAME": "nbpost tests",
    "GIT_AUTHOR_EMAIL": "tests@nbpost.invalid",
    "GIT_COMMITTER_NAME": "nbpost tests",
    "GIT_COMMITTER_EMAIL": "tests@nbpost.invalid",
    "GIT_CONFIG_NOSYSTEM": "1",
}

# What a hook repository needs for `pip install .`; tests, examples and caches stay behind.
HOOK_REPO_SKIP = shutil.ignore_patterns(
    ".git",
    "tests",
    "examples",
    "benchmarks",
    "build",
    "dist",
    "*.egg-info",
    "__pycache__",
    ".venv",
    ".*_cache",
    ".hypothesis",
    "node_modules",
    "out",
)


def write(path: Path, data: str | bytes) -> Path:
    """Write text (as UTF-8) or bytes, creating folders."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


def run_outputs(notebook: Path, outputs_by_cell: dict[int, str]) -> None:
    """Pretend cells ran: give the code cells at these indexes a stream output and count."""
    from nbpost import ipynb

    data = json.loads(notebook.read_text(encoding="utf-8"))
    for index, text in outputs_by_cell.items():
        cell = data["cells"][index]
        assert cell["cell_type"] == "code"
        cell["outputs"] = [{"name": "stdout", "output_type": "stream", "text": text}]
        cell["execution_count"] = index
    notebook.write_text(ipynb.dumps(data), encoding="utf-8")


def git(*args: str, cwd: Path) -> str:
    """Run git with a fixed identity; return stdout."""
    completed = subprocess.run(
        ["git", *args],
        cwd=cwd,
        env={**os.environ, **GIT_ENV},
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    return completed.stdout
