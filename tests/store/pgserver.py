"""Start and stop a throwaway PostgreSQL cluster for the store tests (stdlib only).

Used two ways: `.ci/run` calls `python3 tests/store/pgserver.py start DIR` (prints the
URL to export as ECHOLOT_TEST_PG_URL) and `... stop DIR`; the store tests' conftest
calls `start`/`stop` itself when no URL is given. PostgreSQL refuses to run as root,
so under root the cluster runs as the `postgres` system user that the Debian package
creates (or the user named by $ECHOLOT_PG_USER). The server listens on 127.0.0.1 on a
free port with trust authentication: it is for tests only and dies with its folder.
"""
from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

SUPERUSER = "echolot"


class NoServer(RuntimeError):
    """No PostgreSQL server can be started here (the message says why)."""


def find_bin(name: str) -> str | None:
    """A PostgreSQL server binary from PATH or Debian's versioned folders (newest first)."""
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"),
                        key=lambda p: int(Path(p).parts[-3]) if Path(p).parts[-3].isdigit() else 0)
    return candidates[-1] if candidates else None


def _run_user() -> str | None:
    """The account to run the server as: None (ourselves) unless we are root."""
    if os.geteuid() != 0:
        return None
    name = os.environ.get("ECHOLOT_PG_USER", "postgres")
    try:
        pwd.getpwnam(name)
    except KeyError:
        raise NoServer(f"running as root and there is no {name!r} user to run PostgreSQL as") from None
    return name


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _as(user: str | None, cmd: list[str]) -> subprocess.CompletedProcess[str]:
    """Run `cmd` as `user` (its own group, no supplementary groups) or as ourselves."""
    switch: dict[str, object] = {}
    if user is not None:
        switch = {"user": user, "group": pwd.getpwnam(user).pw_gid, "extra_groups": []}
    return subprocess.run(cmd, check=False, capture_output=True, text=True, cwd="/",
                          **switch)  # type: ignore[call-overload]


def start(folder: str | Path) -> str:
    """Create a cluster in `folder` (must be new or empty), start it, return its URL."""
    initdb, pg_ctl = find_bin("initdb"), find_bin("pg_ctl")
    if not initdb or not pg_ctl:
        raise NoServer("PostgreSQL server binaries (initdb, pg_ctl) not found; install the `postgresql` package")
    user = _run_user()
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    data = folder / "data"
    if user is not None:
        entry = pwd.getpwnam(user)
        os.chown(folder, entry.pw_uid, entry.pw_gid)
    done = _as(user, [initdb, "-D", str(data), "-U", SUPERUSER, "--auth=trust", "-E", "UTF8",
                      "--locale=C.UTF-8", "--no-sync"])
    if done.returncode != 0:  # a machine without the C.UTF-8 locale: plain C works too
        shutil.rmtree(data, ignore_errors=True)
        done = _as(user, [initdb, "-D", str(data), "-U", SUPERUSER, "--auth=trust", "-E", "UTF8",
                          "--locale=C", "--no-sync"])
    if done.returncode != 0:
        raise NoServer(f"initdb failed: {done.stderr.strip()[-500:]}")
    port = _free_port()
    opts = (f"-c listen_addresses=127.0.0.1 -c port={port} -c unix_socket_directories={folder}"
            " -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=50")
    done = _as(user, [pg_ctl, "-D", str(data), "-l", str(folder / "log"), "-o", opts, "-w", "-t", "60", "start"])
    if done.returncode != 0:
        log = (folder / "log").read_text(errors="replace")[-800:] if (folder / "log").exists() else ""
        raise NoServer(f"pg_ctl start failed: {done.stderr.strip()[-300:]} {log}")
    url = f"postgresql://{SUPERUSER}@127.0.0.1:{port}/postgres"
    (folder / "url").write_text(url + "\n")
    _wait_ready(port)
    return url


def _wait_ready(port: int, seconds: float = 30.0) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.2)
    raise NoServer(f"PostgreSQL did not accept connections on port {port} within {seconds:.0f}s")


def stop(folder: str | Path) -> None:
    """Stop the cluster in `folder` (if running) and delete the folder."""
    folder = Path(folder)
    pg_ctl = find_bin("pg_ctl")
    if pg_ctl and (folder / "data" / "postmaster.pid").exists():
        _as(_run_user(), [pg_ctl, "-D", str(folder / "data"), "-m", "fast", "-w", "stop"])
    shutil.rmtree(folder, ignore_errors=True)


def main(argv: list[str]) -> int:
    if len(argv) != 2 or argv[0] not in {"start", "stop"}:
        print("usage: pgserver.py start|stop FOLDER", file=sys.stderr)
        return 2
    try:
        if argv[0] == "start":
            print(start(argv[1]))
        else:
            stop(argv[1])
    except NoServer as exc:
        print(f"pgserver: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
