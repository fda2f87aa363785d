"""A throwaway PostgreSQL server for the tests of shared mode.

Debian's postgresql package keeps its binaries in /usr/lib/postgresql/<version>/bin, off the
PATH. The server refuses to run as root, so under root (CI) initdb and the server run as the
`postgres` user (runuser) in a folder it owns. It listens on a Unix socket in that folder only
(no TCP port), with trust authentication and fsync off: it lives for one test session.
"""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import tempfile
from pathlib import Path


class PgUnavailable(Exception):
    pass


def find_bin() -> Path:
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(p.split("/")[4]))
    if candidates:
        return Path(candidates[-1]).parent
    initdb = shutil.which("initdb")
    if initdb:
        return Path(initdb).resolve().parent
    raise PgUnavailable("PostgreSQL のサーバー（initdb）が見つかりません:"
                        " scripts/system-deps で postgresql を入れてください")


class PgServer:
    def __init__(self) -> None:
        self.bin = find_bin()
        self.root = Path(tempfile.mkdtemp(prefix="desk-pg-"))
        self.data = self.root / "data"
        self.socket_dir = self.root
        self._as = []
        if os.geteuid() == 0:
            shutil.chown(self.root, "postgres", "postgres")
            self._as = ["runuser", "-u", "postgres", "--"]
        self.counter = 0
        self.port = 5432     # also names the Unix socket (.s.PGSQL.<port>)

    def _run(self, *argv: str) -> None:
        result = subprocess.run([*self._as, *argv], capture_output=True, text=True, timeout=120)
        if result.returncode != 0:
            raise PgUnavailable(f"{' '.join(argv[:2])}: {result.stderr.strip() or result.stdout.strip()}")

    def start(self, *, tls: Path | None = None, port: int = 0) -> PgServer:
        """Start the server; with ``tls`` (a folder holding server.crt and server.key, see
        :func:`make_test_ca`) it also listens on 127.0.0.1:``port``, TLS only, passwords by SCRAM."""
        self._run(str(self.bin / "initdb"), "-D", str(self.data), "-A", "trust", "-U", "postgres", "-E", "UTF8",
                  "--locale=C", "--no-sync")
        listen = "''"
        self.port = port or 5432
        if tls is not None:
            for name in ("server.crt", "server.key"):
                shutil.copyfile(tls / name, self.data / name)
                os.chmod(self.data / name, 0o600)
                if self._as:
                    shutil.chown(self.data / name, "postgres", "postgres")
            (self.data / "pg_hba.conf").write_text(
                "local all all trust\nhostssl all all 127.0.0.1/32 scram-sha-256\n", encoding="utf-8")
            listen = f"127.0.0.1 -p {port} -c ssl=on -c password_encryption=scram-sha-256"
        options = (f"-k {self.socket_dir} -c listen_addresses={listen} -c fsync=off -c synchronous_commit=off"
                   " -c max_connections=60")
        self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-o", options, "-l", str(self.root / "server.log"),
                  "-w", "start")
        return self

    def stop(self) -> None:
        subprocess.run([*self._as, str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "stop"],
                       capture_output=True, timeout=60)
        shutil.rmtree(self.root, ignore_errors=True)

    def url(self, database: str, user: str = "postgres") -> str:
        return f"postgresql+psycopg://{user}@/{database}?host={self.socket_dir}&port={self.port}"

    def psql(self, database: str, user: str, sql: str) -> subprocess.CompletedProcess[str]:
        """``sql`` through the psql command as ``user`` (as a window's staff would type it)."""
        return subprocess.run(["psql", "-X", "-v", "ON_ERROR_STOP=1", "-h", str(self.socket_dir), "-p", str(self.port),
                               "-U", user, "-d", database, "-c", sql], capture_output=True, text=True, timeout=60)

    def execute(self, sql: str, database: str = "postgres") -> None:
        import psycopg

        with psycopg.connect(f"host={self.socket_dir} port={self.port} user=postgres dbname={database}",
                             autocommit=True) as conn:
            conn.execute(sql)

    def create_database(self) -> str:
        import psycopg

        self.counter += 1
        name = f"desk_test_{os.getpid()}_{self.counter}"
        with psycopg.connect(f"host={self.socket_dir} port={self.port} user=postgres dbname=postgres",
                             autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)


def make_test_ca(folder: Path, *, name: str = "desk test CA") -> Path:
    """A certificate authority and a server certificate for localhost / 127.0.0.1 signed by it,
    made by the openssl command in ``folder`` (ca.crt, server.crt, server.key)."""
    folder.mkdir(parents=True, exist_ok=True)

    def openssl(*argv: str) -> None:
        done = subprocess.run(["openssl", *argv], cwd=folder, capture_output=True, text=True, timeout=60)
        if done.returncode != 0:
            raise PgUnavailable(f"openssl {argv[0]}: {done.stderr.strip()}")

    openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", f"/CN={name}",
            "-keyout", "ca.key", "-out", "ca.crt")
    openssl("req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=localhost", "-keyout", "server.key",
            "-out", "server.csr")
    (folder / "san.ext").write_text("subjectAltName=DNS:localhost,IP:127.0.0.1\n", encoding="utf-8")
    openssl("x509", "-req", "-in", "server.csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial",
            "-days", "2", "-extfile", "san.ext", "-out", "server.crt")
    return folder
