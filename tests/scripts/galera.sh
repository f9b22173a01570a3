#!/usr/bin/env bash
# galera.sh: a throwaway three-node MariaDB Galera cluster for tests, owned by
# one directory, on loopback.
#
#   tests/scripts/galera.sh start DIR [BASEPORT]  prints node1..3 host:port, then the URL last
#   tests/scripts/galera.sh stop DIR              every node; safe to call twice
#   tests/scripts/galera.sh kill DIR N            kill -9 node N (1..3)
#   tests/scripts/galera.sh stop-node DIR N       clean shutdown of node N
#   tests/scripts/galera.sh start-node DIR N      (re)start node N; it rejoins (IST or SST)
#                                                 and is waited for until Synced
#   tests/scripts/galera.sh status DIR            wsrep state of every node; exit 0 when
#                                                 all three answer, Synced, size 3
#   tests/scripts/galera.sh sql DIR N SQL         runs SQL as root on node N (batch output)
#
# Contract: everything the nodes write lives under DIR (nN/data, nN/tmp, the
# sockets, pid files, error logs, each node's my.cnf); nodes listen on
# 127.0.0.1 only and read no /etc/mysql configuration (--defaults-file of their
# own). Node N uses four consecutive ports from BASEPORT+4*(N-1): SQL, group
# communication, IST, SST. Without BASEPORT a base below the ephemeral range
# is chosen at random and another is tried when a port is taken. Node 1 is
# bootstrapped with --wsrep-new-cluster; nodes 2 and 3 join one after the
# other by state transfer (mariabackup, which runs as root in a temp dir,
# unlike Debian's rsync SST whose daemon runs as nobody). `start` returns once
# wsrep_cluster_size = 3 and wsrep_ready = ON on every node, or fails within a
# bounded time. The user haicang/haicang has all privileges from 127.0.0.1 and
# localhost; the database haicang_test exists. Progress goes to stderr; stdout
# is `nodeN 127.0.0.1:PORT` for the three nodes and last the URL
# `mysql://haicang:haicang@127.0.0.1:P1,127.0.0.1:P2,127.0.0.1:P3/haicang_test`.
# Must run as root (Debian 12, mariadb-server 10.11, galera-4, mariadb-backup;
# installed with apt-get when missing). Environment: GALERA_WAIT (seconds per
# node start, default 120), GALERA_FLUSH (innodb_flush_log_at_trx_commit, default 1).
set -euo pipefail

WAIT=${GALERA_WAIT:-120}
FLUSH=${GALERA_FLUSH:-1}
PROVIDER=/usr/lib/galera/libgalera_smm.so
NODES=3

say() { printf 'galera.sh: %s\n' "$*" >&2; }
die() { say "$*"; exit 1; }
usage() { die "usage: $0 start DIR [BASEPORT] | stop DIR | kill DIR N | stop-node DIR N | start-node DIR N | status DIR | sql DIR N SQL"; }

find_bin() {
    local n d
    for n in "$@"; do
        for d in ${PATH//:/ } /usr/sbin /usr/bin; do
            if [ -x "$d/$n" ]; then printf '%s\n' "$d/$n"; return 0; fi
        done
    done
    return 1
}

ensure_packages() {
    local missing=() p
    for p in mariadb-server mariadb-client galera-4 mariadb-backup socat; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
    done
    [ ${#missing[@]} = 0 ] && return 0
    [ "$(id -u)" = 0 ] || die "missing ${missing[*]} and not root"
    say "installing ${missing[*]}"
    local made_policy=0 rc=0
    if [ ! -e /usr/sbin/policy-rc.d ]; then
        printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d
        chmod 755 /usr/sbin/policy-rc.d
        made_policy=1
    fi
    export DEBIAN_FRONTEND=noninteractive
    apt-get -o DPkg::Lock::Timeout=600 update -qq >&2 || rc=$?
    [ "$rc" = 0 ] && { apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends \
        "${missing[@]}" >&2 || rc=$?; }
    [ "$made_policy" = 1 ] && rm -f /usr/sbin/policy-rc.d
    [ "$rc" = 0 ] || die "apt-get install ${missing[*]} failed"
}

tools() {
    MARIADBD=$(find_bin mariadbd mysqld) || die "no mariadbd"
    INSTALL_DB=$(find_bin mariadb-install-db mysql_install_db) || die "no mariadb-install-db"
    ADMIN=$(find_bin mariadb-admin mysqladmin) || die "no mariadb-admin"
    CLIENT=$(find_bin mariadb mysql) || die "no mariadb client"
    [ -r "$PROVIDER" ] || die "no Galera provider at $PROVIDER (package galera-4)"
}

node_dir() { printf '%s/n%s\n' "$DIR" "$1"; }
base_port() { cat "$DIR/baseport" 2>/dev/null || die "no cluster in $DIR (no baseport file)"; }
sql_port() { echo $(($(base_port) + 4 * ($1 - 1))); }

pid_of() { # N -> pid of a live mariadbd of node N, or fail
    local f pid
    f=$(node_dir "$1")/mariadbd.pid
    [ -s "$f" ] || return 1
    pid=$(cat "$f" 2>/dev/null) || return 1
    case "$pid" in '' | *[!0-9]*) return 1 ;; esac
    kill -0 "$pid" 2>/dev/null && printf '%s\n' "$pid"
}

q() { # N SQL -> batch output, no column names
    "$CLIENT" --no-defaults --socket="$(node_dir "$1")/mysqld.sock" --user=root \
        --connect-timeout=2 --batch --skip-column-names -e "$2" 2>/dev/null
}

wsrep() { # N VAR -> value of status variable VAR
    q "$1" "SHOW GLOBAL STATUS LIKE '$2'" | awk '{print $2}'
}

port_free() {
    local p=$1
    if command -v ss >/dev/null 2>&1; then
        [ -z "$(ss -Htan "( sport = :$p )" 2>/dev/null)" ]
    else
        ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null
    fi
}

write_cnf() { # N
    local n=$1 b d gcomm="" i user_line=""
    b=$(base_port)
    d=$(node_dir "$n")
    for i in $(seq 1 $NODES); do
        gcomm="${gcomm:+$gcomm,}127.0.0.1:$((b + 4 * (i - 1) + 1))"
    done
    local p=$((b + 4 * (n - 1)))
    [ "$(id -u)" = 0 ] && user_line="user = root"
    mkdir -p "$d/data" "$d/tmp"
    cat >"$d/my.cnf" <<EOF
[mysqld]
$user_line
datadir = $d/data
tmpdir = $d/tmp
socket = $d/mysqld.sock
pid-file = $d/mariadbd.pid
log-error = $d/error.log
bind-address = 127.0.0.1
port = $p
skip-name-resolve
character-set-server = utf8mb4
collation-server = utf8mb4_bin
max-connections = 500
innodb-buffer-pool-size = 64M
innodb-log-file-size = 48M
innodb-flush-log-at-trx-commit = $FLUSH
innodb-autoinc-lock-mode = 2
default-storage-engine = InnoDB
binlog-format = ROW
skip-log-bin
wsrep-on = ON
wsrep-provider = $PROVIDER
wsrep-cluster-name = haicang_test_$b
wsrep-cluster-address = gcomm://$gcomm
wsrep-node-name = node$n
wsrep-node-address = 127.0.0.1:$((p + 1))
wsrep-node-incoming-address = 127.0.0.1:$p
wsrep-sst-receive-address = 127.0.0.1:$((p + 3))
wsrep-provider-options = "gmcast.listen_addr=tcp://127.0.0.1:$((p + 1));ist.recv_addr=127.0.0.1:$((p + 2));gcache.size=64M;evs.suspect_timeout=PT3S;evs.inactive_timeout=PT8S;evs.install_timeout=PT6S"
wsrep-sst-method = mariabackup
wsrep-sst-auth = sst:sst
wsrep-slave-threads = 2
[client]
socket = $d/mysqld.sock
[sst]
transferfmt = socat
EOF
}

# start_node N [--wsrep-new-cluster]: launches node N and waits (bounded)
# until it is ready and Synced.
start_node() {
    local n=$1 extra=${2:-} d child tries state ready
    d=$(node_dir "$n")
    if pid_of "$n" >/dev/null; then
        say "node $n already running"
        return 0
    fi
    write_cnf "$n"
    rm -f "$d/mysqld.sock" "$d/mariadbd.pid"
    say "starting node $n on 127.0.0.1:$(sql_port "$n")${extra:+ ($extra)}"
    # setsid: the server must survive the shell (and the test's process group).
    # shellcheck disable=SC2086
    setsid "$MARIADBD" --defaults-file="$d/my.cnf" $extra </dev/null >"$d/mariadbd.out" 2>&1 &
    child=$!
    tries=$((WAIT * 4))
    while :; do
        if ! kill -0 "$child" 2>/dev/null; then
            tail -n 40 "$d/error.log" >&2 2>/dev/null || true
            say "node $n: mariadbd exited during start (log: $d/error.log)"
            return 1
        fi
        ready=$(wsrep "$n" wsrep_ready || true)
        state=$(wsrep "$n" wsrep_local_state_comment || true)
        if [ "$ready" = ON ] && [ "$state" = Synced ]; then
            break
        fi
        tries=$((tries - 1))
        if [ "$tries" -le 0 ]; then
            tail -n 40 "$d/error.log" >&2 2>/dev/null || true
            kill -KILL "$child" 2>/dev/null || true
            say "node $n: not ready and Synced within ${WAIT}s (ready=$ready state=$state; log: $d/error.log)"
            return 1
        fi
        sleep 0.25
    done
    say "node $n ready (pid $(pid_of "$n"), cluster size $(wsrep "$n" wsrep_cluster_size))"
}

stop_node() { # N [KILL]
    local n=$1 how=${2:-} pid d tries
    d=$(node_dir "$n")
    pid=$(pid_of "$n") || { rm -f "$d/mariadbd.pid" "$d/mysqld.sock"; return 0; }
    if [ "$how" = KILL ]; then
        kill -KILL "$pid" 2>/dev/null || true
    else
        "$ADMIN" --no-defaults --socket="$d/mysqld.sock" --user=root --connect-timeout=5 \
            shutdown >/dev/null 2>&1 || kill -TERM "$pid" 2>/dev/null || true
    fi
    tries=$((60 * 4))
    while kill -0 "$pid" 2>/dev/null; do
        tries=$((tries - 1))
        if [ "$tries" -le 0 ]; then
            say "node $n (pid $pid) ignored shutdown; killing it"
            kill -KILL "$pid" 2>/dev/null || true
        fi
        sleep 0.25
    done
    rm -f "$d/mariadbd.pid" "$d/mysqld.sock"
    say "node $n stopped${how:+ ($how)} (pid $pid)"
}

# One attempt at a cluster on BASE. Returns 2 when a port was taken.
try_start() {
    local b=$1 p n
    for p in $(seq "$b" $((b + 4 * NODES - 1))); do
        port_free "$p" || { say "port $p is taken"; return 2; }
    done
    rm -rf "$DIR"/n1 "$DIR"/n2 "$DIR"/n3
    echo "$b" >"$DIR/baseport"
    local d1
    d1=$(node_dir 1)
    mkdir -p "$d1/data" "$d1/tmp"
    say "initialising $d1/data"
    local user_opt=""
    [ "$(id -u)" = 0 ] && user_opt="--user=root"
    # shellcheck disable=SC2086
    "$INSTALL_DB" --no-defaults --datadir="$d1/data" $user_opt \
        --auth-root-authentication-method=normal --skip-test-db --skip-name-resolve \
        >"$d1/install.log" 2>&1 || { tail -n 30 "$d1/install.log" >&2; die "mariadb-install-db failed"; }
    for n in $(seq 1 $NODES); do
        local extra=""
        [ "$n" = 1 ] && extra=--wsrep-new-cluster
        if ! start_node "$n" "$extra"; then
            if grep -qiE "address already in use|bind.*failed|Can't start server: Bind" \
                "$(node_dir "$n")/error.log" 2>/dev/null; then
                return 2
            fi
            return 1
        fi
        if [ "$n" = 1 ]; then
            q 1 "CREATE USER IF NOT EXISTS 'haicang'@'127.0.0.1' IDENTIFIED BY 'haicang';
                 CREATE USER IF NOT EXISTS 'haicang'@'localhost' IDENTIFIED BY 'haicang';
                 GRANT ALL PRIVILEGES ON *.* TO 'haicang'@'127.0.0.1';
                 GRANT ALL PRIVILEGES ON *.* TO 'haicang'@'localhost';
                 CREATE USER IF NOT EXISTS 'sst'@'localhost' IDENTIFIED BY 'sst';
                 GRANT ALL PRIVILEGES ON *.* TO 'sst'@'localhost';
                 CREATE DATABASE IF NOT EXISTS haicang_test CHARACTER SET utf8mb4 COLLATE utf8mb4_bin;" \
                || die "creating users on node 1 failed"
        fi
    done
    return 0
}

print_urls() {
    local n hosts=""
    for n in $(seq 1 $NODES); do
        echo "node$n 127.0.0.1:$(sql_port "$n")"
        hosts="${hosts:+$hosts,}127.0.0.1:$(sql_port "$n")"
    done
    echo "mysql://haicang:haicang@$hosts/haicang_test"
}

cluster_ok() {
    local n
    for n in $(seq 1 $NODES); do
        [ "$(wsrep "$n" wsrep_ready)" = ON ] || return 1
        [ "$(wsrep "$n" wsrep_cluster_size)" = "$NODES" ] || return 1
        [ "$(wsrep "$n" wsrep_local_state_comment)" = Synced ] || return 1
    done
}

cmd_start() {
    [ $# -ge 1 ] && [ $# -le 2 ] || usage
    [ "$(id -u)" = 0 ] || die "must run as root"
    ensure_packages
    tools
    DIR=$1
    mkdir -p "$DIR"
    DIR=$(cd "$DIR" && pwd -P)
    [ "${#DIR}" -le 90 ] || die "DIR path too long for a unix socket: $DIR"
    if [ -f "$DIR/baseport" ] && pid_of 1 >/dev/null; then
        cluster_ok || die "a cluster in $DIR is running but not healthy; stop it first"
        say "already running in $DIR"
        print_urls
        return 0
    fi
    local attempt rc b
    for attempt in 1 2 3 4 5; do
        if [ $# = 2 ]; then b=$2; else b=$((20000 + (RANDOM % 2200) * 4)); fi
        rc=0
        try_start "$b" || rc=$?
        [ "$rc" = 0 ] && break
        for n in 3 2 1; do stop_node "$n" KILL 2>/dev/null || true; done
        [ "$rc" = 2 ] && [ $# = 1 ] || die "cluster did not start (logs under $DIR)"
        say "attempt $attempt: a port was taken; trying another base"
    done
    [ "$rc" = 0 ] || die "no free ports after 5 attempts"
    # bounded: the last join was awaited; the view must show all three everywhere
    local tries=$((30 * 4))
    until cluster_ok; do
        tries=$((tries - 1))
        [ "$tries" -gt 0 ] || die "cluster not ready everywhere (size/ready/Synced) within 30s"
        sleep 0.25
    done
    say "cluster ready: size $(wsrep 1 wsrep_cluster_size), wsrep_ready ON on every node"
    print_urls
}

cmd_stop() {
    [ $# = 1 ] || usage
    DIR=$1
    [ -d "$DIR" ] || { say "nothing in $DIR"; return 0; }
    ADMIN=$(find_bin mariadb-admin mysqladmin) || ADMIN=/bin/false
    local n
    # the last nodes first, node 1 last (it then holds safe_to_bootstrap)
    for n in $(seq $NODES -1 1); do stop_node "$n"; done
}

node_arg() {
    case "${1:-}" in 1 | 2 | 3) ;; *) usage ;; esac
}

[ $# -ge 1 ] || usage
cmd=$1
shift
case "$cmd" in
start) cmd_start "$@" ;;
stop) cmd_stop "$@" ;;
kill) [ $# = 2 ] || usage; node_arg "$2"; DIR=$1; stop_node "$2" KILL ;;
stop-node) [ $# = 2 ] || usage; node_arg "$2"; DIR=$1; tools; stop_node "$2" ;;
start-node) [ $# = 2 ] || usage; node_arg "$2"; DIR=$(cd "$1" && pwd -P); tools; start_node "$2" ;;
status)
    [ $# = 1 ] || usage; DIR=$1; tools
    for n in $(seq 1 $NODES); do
        printf 'node%s 127.0.0.1:%s pid=%s ready=%s size=%s state=%s\n' "$n" "$(sql_port "$n")" \
            "$(pid_of "$n" || echo -)" "$(wsrep "$n" wsrep_ready || true)" \
            "$(wsrep "$n" wsrep_cluster_size || true)" "$(wsrep "$n" wsrep_local_state_comment || true)"
    done
    cluster_ok ;;
sql) [ $# = 3 ] || usage; node_arg "$2"; DIR=$1; tools
    "$CLIENT" --no-defaults --socket="$(node_dir "$2")/mysqld.sock" --user=root --batch \
        --skip-column-names -e "$3" ;;
*) usage ;;
esac
