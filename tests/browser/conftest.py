"""Browser fixtures: the real `studio ui` server in a subprocess and Debian's Chromium.

The server runs the real bundled models; Playwright drives /usr/bin/chromium (never
`playwright install`). The server can be stopped and started again on the same database.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
MODEL_CACHE = Path(os.environ.get("STUDIO_MODEL_CACHE", ROOT / ".studio" / "models"))
CHROMIUM = os.environ.get("STUDIO_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
USERS = {"carl": ("copywriter", "carl-password"), "rita": ("reviewer", "rita-password")}
SCREENSHOTS = Path(os.environ.get("STUDIO_SCREENSHOTS", ROOT / "docs" / "screenshots"))

pytestmark = pytest.mark.browser


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Server:
    """`studio ui` as a child process; stop() kills it as a crash would."""

    def __init__(self, home: Path) -> None:
        self.home = home
        self.port = free_port()
        self.process: subprocess.Popen[bytes] | None = None
        self.log = home / "server.log"
        self.env = {
            **os.environ,
            "STUDIO_HOME": str(home),
            "STUDIO_MODEL_CACHE": str(MODEL_CACHE),
            "STUDIO_MAX_REVISIONS": "1",
            "STUDIO_N_CANDIDATES": "2",
            "GRADIO_ANALYTICS_ENABLED": "False",
            "HF_HUB_OFFLINE": "1",
            "TRANSFORMERS_OFFLINE": "1",
        }

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    def add_users(self) -> None:
        for name, (role, password) in USERS.items():
            subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "studio.cli",
                    "users",
                    "add",
                    name,
                    "--role",
                    role,
                    "--password-stdin",
                ],
                input=password.encode(),
                env=self.env,
                check=True,
                capture_output=True,
            )

    def start(self, timeout: float = 180.0) -> None:
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "studio.cli", "ui", "--port", str(self.port)],
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"studio ui exited: {self.log.read_text()[-2000:]}")
            try:
                with urllib.request.urlopen(self.url, timeout=2) as response:
                    if response.status == 200:
                        return
            except OSError:
                time.sleep(0.5)
        raise RuntimeError(f"studio ui did not start in {timeout} s")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=30)


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    if not Path(CHROMIUM).exists() or shutil.which("chromedriver") is None:
        pytest.fail(f"Chromium not found at {CHROMIUM}: install Debian's chromium chromium-driver")
    instance = Server(tmp_path_factory.mktemp("studio-ui"))
    instance.add_users()
    instance.start()
    yield instance
    instance.stop()


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def screenshots() -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS
