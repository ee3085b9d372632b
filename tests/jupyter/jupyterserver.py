"""Start a real Jupyter server (or JupyterLab) for tests, and talk to its REST API.

The server runs on 127.0.0.1 with a free port and a random token, as root (``--allow-root``),
with its own config, data and runtime folders so a developer's settings cannot leak in. The
installed ``etc/jupyter/jupyter_server_config.d/nbpost.json`` is still read (it lives in the
environment's prefix, not in the user folders): that file, not a command-line flag, is what
loads nbpost's extension here. jupytext's server and JupyterLab extensions are switched off
when installed, so the tests see nbpost alone.
"""

from __future__ import annotations

import json
import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any

START_TIMEOUT = 90


def free_port() -> int:
    """A TCP port nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Response:
    """An HTTP status and the decoded JSON body (or text when it is not JSON)."""

    status: int
    body: Any


@dataclass
class JupyterServer:
    """A running server: its process, root folder, URL, token and log file."""

    process: subprocess.Popen[bytes]
    root: Path
    url: str
    token: str
    log: Path

    def request(self, method: str, path: str, body: Any = None, **params: Any) -> Response:
        """Call the server; ``path`` is relative to the base URL (``api/contents/...``)."""
        query = urllib.parse.urlencode({k: v for k, v in params.items() if v is not None})
        url = f"{self.url}{urllib.parse.quote(path)}" + (f"?{query}" if query else "")
        data = json.dumps(body).encode("utf-8") if body is not None else None
        req = urllib.request.Request(url, data=data, method=method)
        req.add_header("Authorization", f"token {self.token}")
        if data is not None:
            req.add_header("Content-Type", "application/json")
        try:
            with urllib.request.urlopen(req, timeout=60) as reply:
                return Response(reply.status, _decode(reply.read()))
        except urllib.error.HTTPError as exc:
            return Response(exc.code, _decode(exc.read()))

    def api_path(self, path: Path) -> str:
        """The contents API path of a file inside the server's root."""
        return path.relative_to(self.root).as_posix()

    def get_contents(self, path: str, **params: Any) -> Response:
        """GET /api/contents/PATH."""
        return self.request("GET", f"api/contents/{path}", **params)

    def save(self, path: str, model: dict[str, Any]) -> Response:
        """PUT /api/contents/PATH (what JupyterLab does on Ctrl+S)."""
        return self.request("PUT", f"api/contents/{path}", model)

    def log_text(self) -> str:
        """Everything the server logged so far."""
        return self.log.read_text(encoding="utf-8", errors="replace")


def _decode(raw: bytes) -> Any:
    text = raw.decode("utf-8", errors="replace")
    try:
        return json.loads(text)
    except ValueError:
        return text


def isolated_env(home: Path) -> dict[str, str]:
    """Environment with private Jupyter config/data/runtime folders under ``home``."""
    env = dict(os.environ)
    for name, folder in (
        ("JUPYTER_CONFIG_DIR", "config"),
        ("JUPYTER_DATA_DIR", "data"),
        ("JUPYTER_RUNTIME_DIR", "runtime"),
        ("JUPYTERLAB_SETTINGS_DIR", "lab-settings"),
        ("JUPYTERLAB_WORKSPACES_DIR", "lab-workspaces"),
    ):
        path = home / folder
        path.mkdir(parents=True, exist_ok=True)
        env[name] = str(path)
    env.pop("JUPYTER_PATH", None)
    env.pop("JUPYTER_CONFIG_PATH", None)
    env["PYTHONUNBUFFERED"] = "1"
    return env


def start(
    root: Path,
    home: Path,
    *,
    lab: bool = False,
    extensions: dict[str, bool] | None = None,
    extra: tuple[str, ...] = (),
) -> JupyterServer:
    """Start ``jupyter server`` (or ``jupyter lab``) on ``root`` and wait until it answers.

    ``extensions`` switches server extensions on or off on top of the installed config.
    """
    switches = {"jupyterlab_jupytext": False, **(extensions or {})}
    if lab:
        # jupytext's frontend also offers .qmd to the Notebook viewer: keep nbpost's alone.
        labconfig = home / "config" / "labconfig"
        labconfig.mkdir(parents=True, exist_ok=True)
        disabled = {"disabledExtensions": {"jupyterlab-jupytext": True}}
        (labconfig / "page_config.json").write_text(json.dumps(disabled), encoding="utf-8")
    port = free_port()
    token = secrets.token_hex(16)
    log = home / "server.log"
    env = isolated_env(home)
    module = "jupyterlab" if lab else "jupyter_server"
    command = [
        sys.executable,
        "-m",
        module,
        "--no-browser",
        "--allow-root",
        "--ServerApp.ip=127.0.0.1",
        f"--ServerApp.port={port}",
        "--ServerApp.port_retries=0",
        f"--IdentityProvider.token={token}",
        f"--ServerApp.root_dir={root}",
        f"--ServerApp.jpserver_extensions={switches!r}",
        "--ServerApp.log_level=DEBUG",
        *extra,
    ]
    handle = open(log, "wb")  # noqa: SIM115 - the server writes to it until it stops
    process = subprocess.Popen(command, cwd=root, env=env, stdout=handle, stderr=subprocess.STDOUT)
    server = JupyterServer(process, root, f"http://127.0.0.1:{port}/", token, log)
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"jupyter exited with {process.returncode}:\n{server.log_text()}")
        try:
            if server.request("GET", "api/status").status == 200:
                return server
        except OSError:
            pass
        time.sleep(0.2)
    stop(server)
    raise RuntimeError(f"jupyter did not answer within {START_TIMEOUT}s:\n{server.log_text()}")


def stop(server: JupyterServer) -> None:
    """Stop the server process (politely, then firmly)."""
    server.process.terminate()
    try:
        server.process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        server.process.kill()
        server.process.wait(timeout=15)
