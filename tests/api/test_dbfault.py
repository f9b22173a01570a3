#!/usr/bin/env python3
"""Black-box tests of haicang when its database fails (issues 8 and 14).

Starts a MariaDB of its own (common.MariaDB, on loopback in the work dir,
whatever --db says: the tests stop, restart and freeze that server) and the
real `haicang serve` on it, then:
- mariadbd restarted under a running haicang: while it is down every request
  answers 503 problem+json with Retry-After and no driver text, /healthz is
  not 200; once it is back haicang serves again without being restarted;
- idle connections closed by the server (wait_timeout=2) or KILLed: the next
  write succeeds at once, the next read after a second;
- mariadbd frozen (SIGSTOP): requests end in 503 within the configured
  bounds, /healthz and static files keep answering, and it recovers;
- a URL naming several hosts, the first dead: served by the next;
- two `haicang migrate` (and two `haicang serve`) at once on a fresh
  database, on MariaDB and on SQLite (and on --db when it is a URL): both
  succeed.
Ends with one line `N passed, N failed`.

    python3 tests/api/test_dbfault.py --bin build/src/cli/haicang [--db sqlite|mariadb|mysql://...]

Standard library only; uses tests/api/common.py.
"""

import argparse
import http.client
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import (Api, Fail, MariaDB, Runner, Server, check, cleanup, create_key, eq,  # noqa: E402
                    fresh_db_url, q, rand_suffix, sanitizer_lines)

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
# what a 503 must not quote: the driver's errors and names
DRIVER_TEXT = ("2002", "2003", "2006", "2013", "1927", "gone away", "Lost connection",
               "Can't connect", "mysql", "MariaDB", "socket", "errno")


class Maria(MariaDB):
    """common.MariaDB that can also be stopped, started again on the same
    port and data, frozen and thawed, and spoken to as root."""

    def start(self):
        url = super().start()
        self.args = list(self.proc.args)
        self.sock = os.path.join(self.dir, "mysqld.sock")
        self.client = self._find(["mariadb", "mysql"])
        return url

    def sql(self, stmt):
        p = subprocess.run([self.client, "--no-defaults", "-uroot", "--socket=" + self.sock,
                            "-N", "-B", "-e", stmt], stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, timeout=30)
        if p.returncode != 0:
            raise Fail("mariadb client: %s: %s" % (stmt, p.stderr.decode("utf-8", "replace")))
        return p.stdout.decode("utf-8", "replace").strip()

    def down(self):
        self.proc.terminate()
        self.proc.wait(30)

    def up(self):
        self.proc = subprocess.Popen(self.args, stdout=self.log, stderr=self.log)
        deadline = time.time() + 60
        while time.time() < deadline:
            r = subprocess.run([self.client, "--no-defaults", "-uroot", "--socket=" + self.sock,
                                "-e", "SELECT 1"], stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
            if r.returncode == 0:
                return
            time.sleep(0.3)
        raise Fail("mariadbd did not come back")

    def pause(self):
        os.kill(self.proc.pid, signal.SIGSTOP)

    def resume(self):
        os.kill(self.proc.pid, signal.SIGCONT)


class Ctx:
    def __init__(self, binary, workdir, maria, maria_url, db_spec):
        self.binary = binary
        self.workdir = workdir
        self.maria = maria
        self.maria_url = maria_url
        self.db_spec = db_spec
        self.servers = []

    def serve(self, db, wait=60.0):
        """A haicang serve on db with an admin key; returns (server, api)."""
        key, _ = create_key(self.binary, db, "--role", "admin")
        srv = Server(self.binary, db, self.workdir, extra_env={"HAICANG_WEB": os.path.join(ROOT, "web")})
        self.servers.append(srv)
        srv.start(wait=wait)
        return srv, Api("127.0.0.1", srv.port, {"admin": key})


def fresh_maria(ctx, params=""):
    return fresh_db_url(ctx.maria_url, ctx.workdir) + params


def new_seller(api, expect=201, **kw):
    code = "S" + rand_suffix(8).upper()
    r = api.post("/v1/sellers", {"code": code, "name": "Seller " + code, "country": "CN"},
                 expect=expect, **kw)
    return code, r


def unavailable(r, what):
    """r must be a 503 problem+json with Retry-After that quotes no driver."""
    check(r.status == 503, "%s: expected 503, got %d" % (what, r.status), r)
    check(r.ctype.split(";")[0].strip() == "application/problem+json",
          "%s: 503 must be application/problem+json, is %r" % (what, r.ctype), r)
    check(r.headers.get("retry-after", "").isdigit(), "%s: 503 without Retry-After" % what, r)
    body = r.json
    check(isinstance(body, dict) and body.get("status") == 503, "%s: problem body" % what, r)
    text = r.body.decode("utf-8", "replace")
    for w in DRIVER_TEXT:
        check(w.lower() not in text.lower(), "%s: the answer quotes the driver (%r)" % (what, w), r)


def wait_health(api, want, seconds):
    """Polls /healthz until it answers `want` (200, or anything but 200)."""
    deadline = time.time() + seconds
    last = None
    while time.time() < deadline:
        last = api.get("/healthz", key=None, allow_5xx=True, timeout=10)
        if (last.status == 200) == (want == 200):
            return last
        time.sleep(0.1)
    raise Fail("/healthz did not turn %s within %.0fs\n%s" %
               ("200" if want == 200 else "non-200", seconds, last.describe() if last else ""))


def metric(api, name):
    """The value of one unlabelled counter on /metrics."""
    r = api.get("/metrics", key=None, expect=200)
    for ln in r.body.decode("utf-8", "replace").splitlines():
        parts = ln.split()
        if len(parts) == 2 and parts[0] == name:
            return float(parts[1])
    raise Fail("/metrics lacks %s" % name)


def timed(fn):
    t0 = time.time()
    r = fn()
    return r, time.time() - t0


# ---------------------------------------------------------------- tests

def test_restart_mariadb(ctx):
    """mariadbd restarted: 503 while down, /healthz not 200, recovery in place."""
    srv, api = ctx.serve(fresh_maria(ctx))
    code, _ = new_seller(api)
    eq(api.get("/healthz", key=None).json, {"status": "ok"}, "/healthz while up")
    pid = srv.proc.pid
    ctx.maria.down()
    h = wait_health(api, 503, 5)
    unavailable(h, "/healthz while the database is down")
    unavailable(api.get(q("/v1/inventory", seller=code), allow_5xx=True), "a read while down")
    unavailable(new_seller(api, expect=None, allow_5xx=True)[1], "a write while down")
    unavailable(api.get(q("/v1/inventory", seller=code), allow_5xx=True), "a read again")
    ctx.maria.up()
    wait_health(api, 200, 15)
    api.get(q("/v1/inventory", seller=code), expect=200)
    new_seller(api)
    check(srv.proc.poll() is None and srv.proc.pid == pid, "haicang was restarted")
    srv.stop()


def test_idle_connections_closed(ctx):
    """wait_timeout closes idle connections, KILL closes them: haicang reconnects."""
    ctx.maria.sql("SET GLOBAL wait_timeout=2")
    try:
        srv, api = ctx.serve(fresh_maria(ctx))  # its connections get wait_timeout=2
        code, _ = new_seller(api)
        api.get(q("/v1/inventory", seller=code), expect=200)
        time.sleep(3.5)  # the server closes the idle writer and reader connections
        new_seller(api)
        api.get(q("/v1/inventory", seller=code), expect=200)
    finally:
        ctx.maria.sql("SET GLOBAL wait_timeout=28800")
    ids = ctx.maria.sql("SELECT id FROM information_schema.processlist WHERE user = 'haicang'")
    ids = [i for i in ids.split() if i.isdigit()]
    check(len(ids) >= 2, "expected haicang's connections in the processlist, saw %r" % ids)
    for i in ids:
        try:
            ctx.maria.sql("KILL %s" % i)
        except Fail:
            pass  # gone already
    before = {m: metric(api, m) for m in ("haicang_db_reconnects_total",
                                           "haicang_db_write_retries_total",
                                           "haicang_db_unknown_commits_total")}
    new_seller(api)  # the writer finds its connection gone at BEGIN: reopened, run again
    # a read finding its connection gone reconnects and runs again
    api.get(q("/v1/inventory", seller=code), expect=200)
    after = {m: metric(api, m) for m in before}
    check(after["haicang_db_reconnects_total"] > before["haicang_db_reconnects_total"],
          "/metrics: haicang_db_reconnects_total did not count the reopened connections (%r -> %r)"
          % (before, after))
    check(after["haicang_db_write_retries_total"] > before["haicang_db_write_retries_total"],
          "/metrics: haicang_db_write_retries_total did not count the write run again (%r -> %r)"
          % (before, after))
    eq(after["haicang_db_unknown_commits_total"], before["haicang_db_unknown_commits_total"],
       "/metrics: no unknown COMMIT outcome when a connection is killed while idle")
    check(srv.proc.poll() is None, "haicang exited")
    srv.stop()


def test_stalled_mariadb(ctx):
    """SIGSTOP mariadbd: 503 within the bounds, /healthz and files still answer."""
    # bounds of this server: connect 2 s, reads 2 s, writer 4 s
    srv, api = ctx.serve(fresh_maria(ctx, "?connect_timeout=2&read_timeout=2&writer_timeout=4"))
    code, _ = new_seller(api)
    results = []

    def one(kind):
        t0 = time.time()
        try:
            if kind == "read":
                r = api.get(q("/v1/inventory", seller=code), allow_5xx=True, timeout=60)
            else:
                r = new_seller(api, expect=None, allow_5xx=True, timeout=60)[1]
            results.append((kind, r, time.time() - t0))
        except Fail as e:
            results.append((kind, e, time.time() - t0))

    ctx.maria.pause()
    try:
        t_stop = time.time()
        threads = [threading.Thread(target=one, args=(k,)) for k in ("read", "write") * 3]
        for t in threads:
            t.start()
        time.sleep(0.2)
        worst_health = worst_file = 0.0
        saw_503 = False
        while time.time() - t_stop < 8:
            h, dt = timed(lambda: api.get("/healthz", key=None, allow_5xx=True, timeout=30))
            worst_health = max(worst_health, dt)
            saw_503 = saw_503 or h.status == 503
            f, dt = timed(lambda: api.get("/index.html", key=None, timeout=30))
            worst_file = max(worst_file, dt)
            eq(f.status, 200, "a static file while the database is frozen")
            time.sleep(0.2)
        for t in threads:
            t.join(60)
        # one request may hold an HTTP thread for the read bound (2 s); never more
        check(worst_health < 3.5, "/healthz took %.1fs while the database was frozen" % worst_health)
        check(worst_file < 3.5, "a static file took %.1fs while the database was frozen" % worst_file)
        check(saw_503, "/healthz never said 503 while the database was frozen")
        eq(len(results), 6, "answers to the requests sent while frozen")
        for kind, r, dt in results:
            if isinstance(r, Exception):
                raise r
            unavailable(r, "a %s while the database is frozen" % kind)
            # writer bound 4 s, then a reconnect bounded by 2 s connect + 4 s
            check(dt < 12, "a %s took %.1fs to be refused" % (kind, dt), r)
        print("  frozen: slowest /healthz %.2fs, static file %.2fs; refused after %s" % (
            worst_health, worst_file,
            ", ".join("%s %.2fs" % (k, d) for k, _, d in sorted(results, key=lambda x: x[2]))),
            flush=True)
        h, dt = timed(lambda: api.get("/healthz", key=None, allow_5xx=True))
        check(dt < 0.5, "/healthz took %.1fs once the database was known frozen" % dt)
        unavailable(h, "/healthz while frozen")
    finally:
        ctx.maria.resume()
    wait_health(api, 200, 15)
    api.get(q("/v1/inventory", seller=code), expect=200)
    new_seller(api)
    srv.stop()


def test_multi_host_url(ctx):
    """A URL naming several hosts: the first that answers serves; bad lists are refused."""
    url = fresh_maria(ctx).replace("@", "@127.0.0.1:1,", 1)  # nothing listens on port 1
    srv, api = ctx.serve(url)
    eq(api.get("/healthz", key=None, expect=200).json, {"status": "ok"}, "/healthz")
    code, _ = new_seller(api)
    api.get(q("/v1/inventory", seller=code), expect=200)
    srv.stop()
    for bad in (url.replace("127.0.0.1:1,", "127.0.0.1:1,,", 1),
                url.replace("127.0.0.1:1,", "127.0.0.1:99999,", 1)):
        p = subprocess.run([ctx.binary, "migrate", "--db", bad], stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, timeout=60)
        check(p.returncode != 0 and b"url" in p.stderr,
              "migrate --db %s: exit %d, %r" % (bad, p.returncode, p.stderr[-300:]))


def migrate_race(ctx, urls):
    for url in urls:
        procs = [subprocess.Popen([ctx.binary, "migrate", "--db", url], stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE) for _ in range(2)]
        for p in procs:
            out, err = p.communicate(timeout=180)
            check(p.returncode == 0, "two `haicang migrate` at once on %s: one exited %d: %s" %
                  (url, p.returncode, err.decode("utf-8", "replace")[-1500:]))
    # and two servers started at the same moment on a fresh database
    url = urls[0] + (".serve" if urls[0].startswith("sqlite:") else "_serve")
    servers = [Server(ctx.binary, url, ctx.workdir) for _ in range(2)]
    ctx.servers.extend(servers)
    errors = []

    def start(s):
        try:
            s.start(wait=120)
        except Exception as e:  # noqa: BLE001 - reported below
            errors.append(str(e))
    ts = [threading.Thread(target=start, args=(s,)) for s in servers]
    for t in ts:
        t.start()
    for t in ts:
        t.join(150)
    check(not errors, "two servers started at once on a fresh database:\n" + "\n".join(errors))
    for s in servers:
        s.stop()


def test_migrate_race_mariadb(ctx):
    """Two `haicang migrate` and two `haicang serve` at once on fresh MariaDB databases."""
    migrate_race(ctx, [fresh_maria(ctx) for _ in range(3)])


def test_migrate_race_sqlite(ctx):
    """The same on fresh SQLite files."""
    migrate_race(ctx, ["sqlite:" + os.path.join(ctx.workdir, "race-%d-%s.db" % (i, rand_suffix()))
                       for i in range(3)])


def test_migrate_race_given_db(ctx):
    """The same on the server --db names (when it is a URL)."""
    if not ctx.db_spec.startswith("mysql://"):
        return
    migrate_race(ctx, [fresh_db_url(ctx.db_spec, ctx.workdir) for _ in range(2)])


def test_sqlite_health(ctx):
    """On SQLite, /healthz is 200 {"status":"ok"} and a write and a read work."""
    srv, api = ctx.serve("sqlite:" + os.path.join(ctx.workdir, "health-%s.db" % rand_suffix()))
    eq(api.get("/healthz", key=None, expect=200).json, {"status": "ok"}, "/healthz")
    code, _ = new_seller(api)
    api.get(q("/v1/inventory", seller=code), expect=200)
    srv.stop()


MARIA_TESTS = [test_restart_mariadb, test_idle_connections_closed, test_stalled_mariadb,
               test_multi_host_url, test_migrate_race_mariadb]
OTHER_TESTS = [test_migrate_race_sqlite, test_migrate_race_given_db, test_sqlite_health]


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bin", default=os.path.join(ROOT, "build", "src", "cli", "haicang"))
    ap.add_argument("--db", default="sqlite")
    ap.add_argument("--keep", action="store_true")
    args = ap.parse_args()
    runner = Runner()
    binary = os.path.abspath(args.bin)
    if not os.access(binary, os.X_OK):
        runner.fail("setup", "no haicang binary at %s" % binary)
        return runner.finish()
    workdir = tempfile.mkdtemp(prefix="haicang-dbfault-")
    maria = None
    ctx = None
    try:
        maria = Maria(workdir)
        try:
            maria_url = maria.start()
        except Exception as e:  # noqa: BLE001
            runner.fail("setup", "cannot start a MariaDB of our own: %s" % e)
            maria = None
            maria_url = None
        ctx = Ctx(binary, workdir, maria, maria_url, args.db)
        for t in (MARIA_TESTS if maria else []) + OTHER_TESTS:
            runner.run(t.__name__, t, ctx)
            if maria is not None and maria.proc is not None and maria.proc.poll() is not None:
                try:
                    maria.up()
                except Fail as e:
                    runner.fail("mariadb", str(e))
                    break
        texts = []
        for s in ctx.servers:
            if s.proc is not None:
                s.kill()
            texts.extend(s.stderr_texts)
        san = sanitizer_lines("\n".join(texts))
        if san:
            runner.fail("sanitizer", "\n".join(san[:40]))
        if runner.failed:
            args.keep = True
        return runner.finish()
    finally:
        if ctx is not None:
            for s in ctx.servers:
                if s.proc is not None:
                    s.kill()
        if maria is not None and maria.proc is not None:
            try:
                maria.resume()
            except OSError:
                pass
        cleanup(None, maria, workdir, args.keep)


if __name__ == "__main__":
    sys.exit(main())
