"""Shared machinery of haicang's black-box API tests (standard library only).

Owns: starting and stopping the real `haicang serve` on a temporary database,
creating API keys through the CLI, an HTTP client that records every exchange,
assertion helpers that print the request and the answer, and the test runner
that ends with the line `N passed, N failed`.
"""

import argparse
import http.client
import json
import os
import random
import re
import shutil
import signal
import socket
import string
import subprocess
import sys
import tempfile
import threading
import time
import traceback
import urllib.parse

SANITIZER_MARKS = (
    "runtime error:",
    "AddressSanitizer",
    "LeakSanitizer",
    "UndefinedBehaviorSanitizer",
    "ThreadSanitizer",
    "MemorySanitizer",
)

ISO_UTC = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$")


class Fail(Exception):
    """A test assertion that failed; the message carries the exchange."""


# ---------------------------------------------------------------- HTTP client

class Resp:
    def __init__(self, method, path, req_headers, req_body, status, headers, body):
        self.method = method
        self.path = path
        self.req_headers = req_headers
        self.req_body = req_body
        self.status = status
        self.headers = headers  # lower-case names
        self.body = body
        self._json = None
        self._json_done = False

    @property
    def json(self):
        if not self._json_done:
            self._json_done = True
            try:
                self._json = json.loads(self.body.decode("utf-8"))
            except (ValueError, UnicodeDecodeError):
                self._json = None
        return self._json

    @property
    def ctype(self):
        return self.headers.get("content-type", "")

    def describe(self, limit=700):
        def cut(b):
            if b is None:
                return ""
            if isinstance(b, (bytes, bytearray)):
                s = b.decode("utf-8", "replace")
            else:
                s = str(b)
            return s if len(s) <= limit else s[:limit] + "... (%d bytes)" % len(s)
        hdrs = "".join("\n    > %s: %s" % (k, v) for k, v in self.req_headers.items())
        return ("  request:  %s %s%s\n    > %s\n  response: %s %s\n    < %s" %
                (self.method, self.path, hdrs, cut(self.req_body), self.status,
                 self.ctype, cut(self.body)))


_tls = threading.local()


def last_exchanges():
    return getattr(_tls, "log", [])


def _log(resp):
    log = getattr(_tls, "log", None)
    if log is None:
        log = _tls.log = []
    log.append(resp)
    if len(log) > 3:
        del log[0]


def clear_log():
    _tls.log = []


class Api:
    """One server; every call opens its own connection (thread-safe)."""

    def __init__(self, host, port, keys):
        self.host = host
        self.port = port
        self.keys = keys  # name -> key

    def call(self, method, path, body=None, key="admin", headers=None, raw=None,
             expect=None, timeout=60, allow_5xx=False):
        hdrs = {}
        if key is not None:
            hdrs["Authorization"] = "Bearer " + self.keys.get(key, key)
        if raw is not None:
            data = raw
        elif body is not None:
            data = json.dumps(body).encode("utf-8")
        else:
            data = None
        if data is not None:
            hdrs["Content-Type"] = "application/json"
        if headers:
            hdrs.update(headers)
        conn = http.client.HTTPConnection(self.host, self.port, timeout=timeout)
        try:
            conn.putrequest(method, path, skip_accept_encoding=True)
            for k, v in hdrs.items():
                conn.putheader(k, v)
            if data is not None:
                conn.putheader("Content-Length", str(len(data)))
            elif method in ("POST", "PUT", "PATCH"):
                conn.putheader("Content-Length", "0")
            conn.endheaders()
            if data is not None:
                try:
                    view = memoryview(data)
                    for i in range(0, len(data), 65536):
                        conn.send(view[i:i + 65536])
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the server may answer early (413) and close
            hr = conn.getresponse()
            rbody = hr.read()
            rh = {k.lower(): v for k, v in hr.getheaders()}
            resp = Resp(method, path, hdrs, data, hr.status, rh, rbody)
        except (OSError, http.client.HTTPException) as e:
            resp = Resp(method, path, hdrs, data, 0, {}, ("<no answer: %r>" % e).encode())
            _log(resp)
            raise Fail("no HTTP answer: %r\n%s" % (e, resp.describe()))
        finally:
            conn.close()
        _log(resp)
        if resp.status >= 500 and not allow_5xx:
            raise Fail("server answered %d (a 5xx is a bug)\n%s" % (resp.status, resp.describe()))
        if expect is not None:
            exp = expect if isinstance(expect, (tuple, list, set)) else (expect,)
            if resp.status not in exp:
                raise Fail("expected status %s, got %d\n%s" %
                           ("/".join(map(str, exp)), resp.status, resp.describe()))
            if 200 <= resp.status < 300 and resp.status != 204 and method != "HEAD":
                if resp.json is None and path.startswith("/v1/") and not path.endswith(".svg"):
                    raise Fail("2xx answer is not JSON\n%s" % resp.describe())
        return resp

    def get(self, path, **kw):
        return self.call("GET", path, **kw)

    def post(self, path, body=None, **kw):
        if body is None and "raw" not in kw:
            body = {}
        return self.call("POST", path, body=body, **kw)


def q(path, **params):
    """Path with a query string; None values are left out."""
    p = {k: v for k, v in params.items() if v is not None}
    return path + ("?" + urllib.parse.urlencode(p) if p else "")


def seg(s):
    return urllib.parse.quote(str(s), safe="")


# ---------------------------------------------------------------- assertions

def check(cond, msg, resp=None):
    if not cond:
        if resp is None:
            log = last_exchanges()
            resp = log[-1] if log else None
        raise Fail(msg + ("\n" + resp.describe() if resp is not None else ""))


def eq(got, want, what, resp=None):
    check(got == want, "%s: expected %r, got %r" % (what, want, got), resp)


NOTES = []
_notes_lock = threading.Lock()


def note(msg):
    """A discrepancy worth reporting that does not fail the test."""
    with _notes_lock:
        if msg not in NOTES:
            NOTES.append(msg)


def problem(resp, statuses=None, field=None, what=""):
    """resp must be a 4xx application/problem+json naming `field`."""
    label = (what + ": ") if what else ""
    check(400 <= resp.status < 500, "%sexpected a 4xx, got %d" % (label, resp.status), resp)
    if statuses is not None:
        st = statuses if isinstance(statuses, (tuple, list, set)) else (statuses,)
        check(resp.status in st, "%sexpected status %s, got %d" %
              (label, "/".join(map(str, st)), resp.status), resp)
    check(resp.ctype.split(";")[0].strip().lower() == "application/problem+json",
          "%sContent-Type must be application/problem+json, is %r" % (label, resp.ctype), resp)
    body = resp.json
    check(isinstance(body, dict), "%sproblem body is not a JSON object" % label, resp)
    check(body.get("status") == resp.status,
          "%sproblem body 'status' %r != HTTP status %d" % (label, body.get("status"), resp.status),
          resp)
    for k in ("type", "title"):
        if k not in body:
            note("problem+json without %r: %s %s -> %d" % (k, resp.method, resp.path.split("?")[0],
                                                         resp.status))
    if field is not None:
        errs = body.get("errors")
        check(isinstance(errs, list) and errs,
              "%sproblem body must have a non-empty 'errors' list naming %r" % (label, field), resp)
        fields = [e.get("field") for e in errs if isinstance(e, dict)]
        if field in fields:
            return body
        leaf = re.split(r"[.\[]", field)[-1].rstrip("]") if field else field
        loose = [f for f in fields if isinstance(f, str) and (leaf in f or f in field)]
        check(loose, "%serrors %r do not name the field %r" % (label, fields, field), resp)
        note("field path differs: %s %s names %r, expected %r" %
             (resp.method, resp.path.split("?")[0], loose[0], field))
    return body


def iso_utc(v, what, resp=None):
    check(isinstance(v, str) and ISO_UTC.match(v) is not None,
          "%s must be ISO 8601 UTC (…Z), is %r" % (what, v), resp)


def rand_suffix(n=6):
    return "".join(random.choice(string.ascii_lowercase + string.digits) for _ in range(n))


# ---------------------------------------------------------------- server process

def free_port():
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def run_cli(binary, args, timeout=120, check_rc=True):
    p = subprocess.run([binary] + args, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       timeout=timeout)
    out = p.stdout.decode("utf-8", "replace")
    err = p.stderr.decode("utf-8", "replace")
    if check_rc and p.returncode != 0:
        raise RuntimeError("`haicang %s` exited %d\nstdout: %s\nstderr: %s" %
                           (" ".join(args), p.returncode, out[-2000:], err[-2000:]))
    return p.returncode, out, err


def sanitizer_lines(text):
    return [ln for ln in text.splitlines() if any(m in ln for m in SANITIZER_MARKS)]


def create_key(binary, db, *args):
    _, out, err = run_cli(binary, ["key", "create", "--db", db] + list(args))
    lines = [ln.strip() for ln in out.strip().splitlines() if ln.strip()]
    if not lines:
        raise RuntimeError("`haicang key create %s` printed no key" % " ".join(args))
    return lines[-1], err


class Server:
    """`haicang serve` on a given database, stderr to a file."""

    def __init__(self, binary, db, workdir, extra_env=None):
        self.binary = binary
        self.db = db
        self.workdir = workdir
        self.port = None
        self.proc = None
        self.stderr_path = None
        self.stderr_texts = []
        self.env = dict(os.environ)
        # sanitizer builds: keep going after UBSan reports so they show in stderr
        self.env.setdefault("UBSAN_OPTIONS", "print_stacktrace=1")
        if extra_env:
            self.env.update(extra_env)
        self.starts = 0

    def start(self, wait=30.0):
        self.starts += 1
        self.port = free_port()
        self.stderr_path = os.path.join(self.workdir, "serve-%d.stderr" % self.starts)
        self._errf = open(self.stderr_path, "wb")
        self.proc = subprocess.Popen(
            [self.binary, "serve", "--db", self.db, "--listen", "127.0.0.1:%d" % self.port],
            stdout=self._errf, stderr=self._errf, env=self.env, cwd=self.workdir)
        deadline = time.time() + wait
        last = None
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError("haicang serve exited %d before /healthz answered:\n%s" %
                                   (self.proc.returncode, self.stderr_tail()))
            try:
                c = http.client.HTTPConnection("127.0.0.1", self.port, timeout=2)
                c.request("GET", "/healthz")
                r = c.getresponse()
                r.read()
                c.close()
                if r.status == 200:
                    return
                last = r.status
            except OSError as e:
                last = e
            time.sleep(0.1)
        self.kill()
        raise RuntimeError("haicang serve: /healthz did not answer 200 within %.0fs (last: %r)\n%s"
                           % (wait, last, self.stderr_tail()))

    def stderr_text(self):
        try:
            with open(self.stderr_path, "rb") as f:
                return f.read().decode("utf-8", "replace")
        except (OSError, TypeError):
            return ""

    def stderr_tail(self, n=40):
        return "\n".join(self.stderr_text().splitlines()[-n:])

    def stop(self, grace=5.0):
        """SIGTERM, then SIGKILL after `grace` seconds. Returns the exit code."""
        if self.proc is None:
            return None
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(grace)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        rc = self.proc.returncode
        self._finish()
        return rc

    def kill(self):
        if self.proc is None:
            return
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        self._finish()

    def _finish(self):
        self._errf.close()
        self.stderr_texts.append(self.stderr_text())
        self.proc = None


# ---------------------------------------------------------------- databases

def fresh_db_url(spec, workdir):
    """sqlite -> a file in workdir; mysql://... -> the same server, a new db name."""
    if spec == "sqlite":
        return "sqlite:" + os.path.join(workdir, "haicang.db")
    if spec.startswith("sqlite:"):
        return spec
    if spec.startswith("mysql://"):
        u = urllib.parse.urlsplit(spec)
        name = u.path.lstrip("/") or "haicang_test"
        name = "%s_%d_%s" % (name, os.getpid(), rand_suffix(4))
        return urllib.parse.urlunsplit((u.scheme, u.netloc, "/" + name, u.query, u.fragment))
    raise SystemExit("--db must be sqlite, sqlite:PATH, mariadb or mysql://user:pass@host:port/db")


class MariaDB:
    """A throw-away mariadbd on a loopback port in a temp data dir (for --db mariadb)."""

    def __init__(self, workdir):
        self.dir = os.path.join(workdir, "mariadb")
        self.proc = None
        self.port = None

    def _find(self, names):
        for n in names:
            for d in ("/usr/sbin", "/usr/bin", "/usr/local/sbin", "/usr/local/bin"):
                p = os.path.join(d, n)
                if os.access(p, os.X_OK):
                    return p
            p = shutil.which(n)
            if p:
                return p
        return None

    def start(self):
        server = self._find(["mariadbd", "mysqld"])
        install = self._find(["mariadb-install-db", "mysql_install_db"])
        if server is None or install is None:
            subprocess.run(["apt-get", "install", "-y", "-q", "mariadb-server"], check=False,
                           stdout=subprocess.DEVNULL)
            server = self._find(["mariadbd", "mysqld"])
            install = self._find(["mariadb-install-db", "mysql_install_db"])
        if server is None or install is None:
            raise RuntimeError("mariadb-server is not installed and could not be installed")
        data = os.path.join(self.dir, "data")
        os.makedirs(data, exist_ok=True)
        user = ["--user=root"] if os.geteuid() == 0 else []
        subprocess.run([install, "--no-defaults", "--datadir=" + data, "--auth-root-authentication-method=normal",
                        "--skip-test-db"] + user, check=True, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL)
        self.port = free_port()
        sock = os.path.join(self.dir, "mysqld.sock")
        self.log = open(os.path.join(self.dir, "mariadbd.log"), "wb")
        self.proc = subprocess.Popen(
            [server, "--no-defaults", "--datadir=" + data, "--bind-address=127.0.0.1",
             "--port=%d" % self.port, "--socket=" + sock, "--skip-name-resolve",
             "--pid-file=" + os.path.join(self.dir, "mysqld.pid"),
             "--max-connections=500", "--innodb-buffer-pool-size=128M",
             "--innodb-flush-log-at-trx-commit=1"] + user,
            stdout=self.log, stderr=self.log)
        client = self._find(["mariadb", "mysql"])
        deadline = time.time() + 60
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError("mariadbd exited %d" % self.proc.returncode)
            r = subprocess.run([client, "--no-defaults", "-uroot", "--socket=" + sock, "-e",
                                "CREATE USER IF NOT EXISTS 'haicang'@'127.0.0.1' IDENTIFIED BY 'haicang';"
                                "GRANT ALL ON *.* TO 'haicang'@'127.0.0.1';"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            if r.returncode == 0:
                return "mysql://haicang:haicang@127.0.0.1:%d/haicang" % self.port
            time.sleep(0.3)
        raise RuntimeError("mariadbd did not come up")

    def stop(self):
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.proc = None


class Galera:
    """Three MariaDB Galera nodes on loopback (tests/scripts/galera.sh) in dir.

    start() returns the multi-host URL; node_url(n, db) is a one-host URL of
    node n (1..3); sql(n, stmt) runs SQL as root on node n and returns the rows
    as lists of strings; kill(n) is kill -9; start_node(n) rejoins node n."""

    SCRIPT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "scripts", "galera.sh")

    def __init__(self, dir):
        self.dir = dir
        self.hosts = []   # "127.0.0.1:PORT" of nodes 1..3
        self.url = None

    def _sh(self, *args, timeout=600, check_rc=True):
        p = subprocess.run(["bash", self.SCRIPT] + list(args), stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, timeout=timeout)
        out = p.stdout.decode("utf-8", "replace")
        err = p.stderr.decode("utf-8", "replace")
        if check_rc and p.returncode != 0:
            raise RuntimeError("galera.sh %s exited %d:\n%s%s" % (" ".join(args[:1]), p.returncode,
                                                                    out[-2000:], err[-3000:]))
        return out, err

    def start(self):
        out, _ = self._sh("start", self.dir)
        lines = [ln for ln in out.splitlines() if ln.strip()]
        self.hosts = [ln.split()[1] for ln in lines if ln.startswith("node")]
        self.url = lines[-1]
        if len(self.hosts) != 3 or not self.url.startswith("mysql://"):
            raise RuntimeError("galera.sh start printed %r" % out)
        return self.url

    def node_url(self, n, db):
        return "mysql://haicang:haicang@%s/%s" % (self.hosts[n - 1], db)

    def multi_url(self, db, order=(1, 2, 3)):
        return "mysql://haicang:haicang@%s/%s" % (",".join(self.hosts[i - 1] for i in order), db)

    def sql(self, n, stmt, timeout=60):
        out, _ = self._sh("sql", self.dir, str(n), stmt, timeout=timeout)
        return [ln.split("\t") for ln in out.splitlines() if ln != ""]

    def kill(self, n):
        self._sh("kill", self.dir, str(n))

    def start_node(self, n):
        return self._sh("start-node", self.dir, str(n))[1]

    def status(self):
        return self._sh("status", self.dir, check_rc=False)[0]

    def stop(self):
        if os.path.isdir(self.dir):
            self._sh("stop", self.dir, check_rc=False, timeout=300)


# ---------------------------------------------------------------- runner

class Runner:
    def __init__(self):
        self.passed = 0
        self.failed = 0
        self.failures = []

    def run(self, name, fn, *args):
        clear_log()
        t0 = time.time()
        try:
            fn(*args)
        except Fail as e:
            self._fail(name, str(e), t0)
            return False
        except Exception as e:  # a bug in the test or an unexpected answer shape
            log = last_exchanges()
            extra = ("\n  last exchange:\n" + log[-1].describe()) if log else ""
            self._fail(name, "%s: %s\n%s%s" % (type(e).__name__, e,
                                               "".join(traceback.format_exc().splitlines(True)[-6:]),
                                               extra), t0)
            return False
        self.passed += 1
        print("PASS %s (%.2fs)" % (name, time.time() - t0), flush=True)
        return True

    def _fail(self, name, msg, t0):
        self.failed += 1
        self.failures.append((name, msg))
        print("FAIL %s (%.2fs)\n%s" % (name, time.time() - t0, indent(msg)), flush=True)

    def fail(self, name, msg):
        self._fail(name, msg, time.time())

    def finish(self):
        if NOTES:
            print("\nnotes (discrepancies that do not fail a test):")
            for n in NOTES:
                print("  - " + n)
        if self.failures:
            print("\nfailed: " + ", ".join(n for n, _ in self.failures))
        print("%d passed, %d failed" % (self.passed, self.failed), flush=True)
        return 1 if self.failed else 0


def cleanup(server, maria, workdir, keep):
    """Stops what a suite started; keeps the work dir (database, server stderr)
    when asked or when something failed."""
    if server is not None and server.proc is not None:
        server.kill()
    if maria is not None:
        maria.stop()
    if keep:
        print("kept %s" % workdir, file=sys.stderr)
    else:
        shutil.rmtree(workdir, ignore_errors=True)


SELLER_KEYS = (("admin", ["--role", "admin"]),
               ("op", ["--role", "operator", "--warehouse", "DE-DUI"]),
               ("s1", ["--role", "seller", "--seller", "S1"]),
               ("s2", ["--role", "seller", "--seller", "S2"]))


def sm2_key_pair(workdir):
    """An SM2 private key and a self-signed certificate (openssl) in workdir:
    the customs signing key of a suite. Returns (key path, cert path)."""
    key, cert = os.path.join(workdir, "sm2-key.pem"), os.path.join(workdir, "sm2-cert.pem")
    subprocess.run(["openssl", "genpkey", "-algorithm", "SM2", "-out", key], check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    subprocess.run(["openssl", "req", "-new", "-x509", "-key", key, "-sm3", "-subj",
                    "/CN=haicang-test", "-days", "2", "-out", cert], check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return key, cert


def customs_env(workdir, code):
    """The environment of a server that writes customs messages to
    workdir/customs, signed with a fresh SM2 key, for customs office code."""
    key, cert = sm2_key_pair(workdir)
    return {"HAICANG_CUSTOMS_DIR": os.path.join(workdir, "customs"),
            "HAICANG_CUSTOMS_CODE": code, "HAICANG_CUSTOMS_KEY": key,
            "HAICANG_CUSTOMS_CERT": cert}


def run_server_suite(doc, tests, name, make_ctx, keys=SELLER_KEYS, env=None):
    """main() of a suite that keeps its state in its own ctx and runs every
    test in order against one server: `--bin BIN --db sqlite|mariadb|URL
    [--keep]`; migrates a fresh database, creates keys (name, `key create`
    arguments), starts `haicang serve` with env(workdir) added to its
    environment, runs tests with make_ctx(api, server, binary, db, workdir),
    stops the server, scans its stderr (and ctx.extra_stderr, if any) for
    sanitizer reports, and ends with `N passed, N failed`. Returns the exit
    status."""
    ap = argparse.ArgumentParser(description=doc, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bin", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..",
                                                  "build", "src", "cli", "haicang"))
    ap.add_argument("--db", default="sqlite")
    ap.add_argument("--keep", action="store_true")
    args = ap.parse_args()
    runner = Runner()
    binary = os.path.abspath(args.bin)
    if not os.access(binary, os.X_OK):
        runner.fail("setup", "no haicang binary at %s" % binary)
        return runner.finish()
    workdir = tempfile.mkdtemp(prefix="haicang-%s-api-" % name)
    maria = server = None
    try:
        spec = args.db
        if spec == "mariadb":
            maria = MariaDB(workdir)
            spec = maria.start()
        db = fresh_db_url(spec, workdir)
        try:
            extra_env = env(workdir) if env is not None else None
            run_cli(binary, ["migrate", "--db", db])
            made = {}
            for kname, kargs in keys:
                made[kname], _ = create_key(binary, db, *kargs)
            server = Server(binary, db, workdir, extra_env=extra_env)
            server.start()
        except Exception as e:
            runner.fail("setup", str(e))
            return runner.finish()
        ctx = make_ctx(Api("127.0.0.1", server.port, made), server, binary, db, workdir)
        for t in tests:
            if server.proc.poll() is not None:
                runner.fail(t.__name__, "the server is not running\n%s" % server.stderr_tail())
                continue
            runner.run(t.__name__, t, ctx)
        server.stop()
        san = sanitizer_lines("\n".join(server.stderr_texts + list(getattr(ctx, "extra_stderr", []))))
        if san:
            runner.fail("sanitizer", "\n".join(san[:40]))
        if runner.failed:
            args.keep = True
        return runner.finish()
    finally:
        cleanup(server, maria, workdir, args.keep)


def closing_checks(runner, binary, db, stderr_texts, where=None):
    """What a suite checks last, once its server has stopped: `haicang verify`
    on its database (the books balance after all the suite did) and no
    sanitizer report in stderr_texts or verify's. where (a path) is named
    with a sanitizer report. Returns True when both passed."""
    texts = list(stderr_texts)
    ok = True
    try:
        vrc, vout, verr = run_cli(binary, ["verify", "--db", db], check_rc=False, timeout=300)
        texts.append(verr)
        if vrc == 0:
            runner.passed += 1
            print("PASS verify_after_suite", flush=True)
        else:
            ok = False
            runner.fail("verify_after_suite", "haicang verify exited %d\n%s%s" %
                        (vrc, vout[-3000:], verr[-3000:]))
    except Exception as e:  # a verify that hangs or cannot start is a failure too
        ok = False
        runner.fail("verify_after_suite", str(e))
    san = sanitizer_lines("\n".join(texts))
    if san:
        ok = False
        runner.fail("sanitizer", "sanitizer reports in stderr:\n" + "\n".join(san[:40]) +
                    ("\n(see %s)" % where if where else ""))
    else:
        runner.passed += 1
        print("PASS no_sanitizer_reports", flush=True)
    return ok


def indent(s, pre="    "):
    return "\n".join(pre + ln for ln in s.splitlines())
