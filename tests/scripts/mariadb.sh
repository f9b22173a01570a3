#!/bin/sh
# mariadb.sh: a throwaway MariaDB server for tests, owned by one directory.
#
#   tests/scripts/mariadb.sh start DIR PORT   prints the URL on the last line of stdout
#   tests/scripts/mariadb.sh stop DIR         safe to call twice, or with nothing running
#   tests/scripts/mariadb.sh status DIR       exit 0 when the server in DIR answers
#
# Contract: everything the server writes lives under DIR (data/, tmp/, the
# socket, the pid file, error.log); it listens on 127.0.0.1:PORT only; it reads
# no /etc/mysql configuration (--no-defaults). The user haicang/haicang has all
# privileges from 127.0.0.1 and localhost. Progress goes to stderr, the URL
# `mysql://haicang:haicang@127.0.0.1:PORT/haicang_test` alone to stdout, so
# `url=$(tests/scripts/mariadb.sh start DIR PORT)` works. Runs as root without
# systemd (CI containers) as well as an ordinary user.
set -eu

WAIT_SECONDS=60

say() { printf 'mariadb.sh: %s\n' "$*" >&2; }
die() { say "$*"; exit 1; }

usage() {
    die "usage: $0 start DIR PORT | stop DIR | status DIR"
}

# find_bin NAME...: the first of the names on PATH or in /usr/sbin, /usr/bin.
find_bin() {
    for n in "$@"; do
        for d in $(printf '%s' "${PATH}:/usr/sbin:/usr/bin" | tr ':' ' '); do
            if [ -x "$d/$n" ]; then
                printf '%s\n' "$d/$n"
                return 0
            fi
        done
    done
    return 1
}

# Installs mariadb-server with apt-get when the binaries are missing. A
# policy-rc.d forbids the package from starting the system-wide service while
# it installs; it is removed again if we created it.
ensure_server() {
    if find_bin mariadbd mysqld >/dev/null && find_bin mariadb-install-db mysql_install_db >/dev/null \
        && find_bin mariadb-admin mysqladmin >/dev/null; then
        return 0
    fi
    [ "$(id -u)" = 0 ] || die "mariadb-server is not installed and we are not root"
    say "installing mariadb-server"
    made_policy=0
    if [ ! -e /usr/sbin/policy-rc.d ]; then
        printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d
        chmod 755 /usr/sbin/policy-rc.d
        made_policy=1
    fi
    rc=0
    DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2 || rc=$?
    if [ "$rc" = 0 ]; then
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
            mariadb-server mariadb-client >&2 || rc=$?
    fi
    [ "$made_policy" = 1 ] && rm -f /usr/sbin/policy-rc.d
    [ "$rc" = 0 ] || die "apt-get install mariadb-server failed"
}

# pid_alive DIR: true when the pid file names a running process.
pid_alive() {
    [ -s "$1/mariadbd.pid" ] || return 1
    pid=$(cat "$1/mariadbd.pid" 2>/dev/null) || return 1
    case "$pid" in '' | *[!0-9]*) return 1 ;; esac
    kill -0 "$pid" 2>/dev/null
}

# ping DIR: true when the server answers on its socket as root.
ping_server() {
    "$ADMIN" --no-defaults --socket="$1/mysqld.sock" --user=root --connect-timeout=2 \
        ping >/dev/null 2>&1
}

cmd_start() {
    [ $# = 2 ] || usage
    dir=$1
    port=$2
    case "$port" in '' | *[!0-9]*) die "PORT must be a number" ;; esac
    if [ "$port" -lt 1 ] || [ "$port" -gt 65535 ]; then
        die "PORT out of range"
    fi
    ensure_server
    MARIADBD=$(find_bin mariadbd mysqld)
    INSTALL_DB=$(find_bin mariadb-install-db mysql_install_db)
    ADMIN=$(find_bin mariadb-admin mysqladmin)
    CLIENT=$(find_bin mariadb mysql)

    mkdir -p "$dir"
    dir=$(cd "$dir" && pwd -P)
    # sun_path holds 108 bytes including the terminator.
    [ "${#dir}" -le 95 ] || die "DIR path too long for a unix socket: $dir"
    url="mysql://haicang:haicang@127.0.0.1:${port}/haicang_test"

    if pid_alive "$dir"; then
        if ping_server "$dir"; then
            say "already running in $dir"
            printf '%s\n' "$url"
            return 0
        fi
        die "a server process from $dir is running but does not answer; run stop first"
    fi

    user_opt=""
    [ "$(id -u)" = 0 ] && user_opt="--user=root"

    mkdir -p "$dir/tmp"
    if [ ! -d "$dir/data/mysql" ]; then
        say "initialising $dir/data"
        rm -rf "$dir/data"
        # shellcheck disable=SC2086
        "$INSTALL_DB" --no-defaults --datadir="$dir/data" $user_opt \
            --auth-root-authentication-method=normal --skip-test-db \
            --skip-name-resolve --innodb-buffer-pool-size=128M \
            >"$dir/install.log" 2>&1 || {
            tail -n 30 "$dir/install.log" >&2
            die "mariadb-install-db failed (log: $dir/install.log)"
        }
    fi

    say "starting mariadbd on 127.0.0.1:$port"
    rm -f "$dir/mysqld.sock" "$dir/mariadbd.pid"
    # setsid: the server must survive the shell (and meson's process group).
    # shellcheck disable=SC2086
    setsid "$MARIADBD" --no-defaults $user_opt \
        --datadir="$dir/data" --tmpdir="$dir/tmp" \
        --socket="$dir/mysqld.sock" --pid-file="$dir/mariadbd.pid" \
        --log-error="$dir/error.log" \
        --bind-address=127.0.0.1 --port="$port" --skip-name-resolve \
        --character-set-server=utf8mb4 --collation-server=utf8mb4_bin \
        --innodb-buffer-pool-size=128M --innodb-flush-log-at-trx-commit=1 \
        --skip-log-bin --max-connections=500 \
        </dev/null >"$dir/mariadbd.out" 2>&1 &
    child=$!

    # Bounded wait: WAIT_SECONDS in steps of a quarter second.
    tries=$((WAIT_SECONDS * 4))
    while ! ping_server "$dir"; do
        if ! kill -0 "$child" 2>/dev/null; then
            tail -n 30 "$dir/error.log" >&2 2>/dev/null || true
            die "mariadbd exited during start (log: $dir/error.log)"
        fi
        tries=$((tries - 1))
        if [ "$tries" -le 0 ]; then
            tail -n 30 "$dir/error.log" >&2 2>/dev/null || true
            kill "$child" 2>/dev/null || true
            die "mariadbd did not answer within ${WAIT_SECONDS}s (log: $dir/error.log)"
        fi
        sleep 0.25
    done

    "$CLIENT" --no-defaults --socket="$dir/mysqld.sock" --user=root --batch <<'EOF' >&2 || die "creating user haicang failed"
CREATE USER IF NOT EXISTS 'haicang'@'127.0.0.1' IDENTIFIED BY 'haicang';
CREATE USER IF NOT EXISTS 'haicang'@'localhost' IDENTIFIED BY 'haicang';
GRANT ALL PRIVILEGES ON *.* TO 'haicang'@'127.0.0.1';
GRANT ALL PRIVILEGES ON *.* TO 'haicang'@'localhost';
CREATE DATABASE IF NOT EXISTS haicang_test CHARACTER SET utf8mb4 COLLATE utf8mb4_bin;
EOF
    say "ready (pid $(cat "$dir/mariadbd.pid"), socket $dir/mysqld.sock)"
    printf '%s\n' "$url"
}

cmd_stop() {
    [ $# = 1 ] || usage
    dir=$1
    if [ ! -d "$dir" ] || ! pid_alive "$dir"; then
        say "not running in $dir"
        rm -f "$dir/mariadbd.pid" "$dir/mysqld.sock" 2>/dev/null || true
        return 0
    fi
    pid=$(cat "$dir/mariadbd.pid")
    ADMIN=$(find_bin mariadb-admin mysqladmin) || ADMIN=""
    if [ -n "$ADMIN" ]; then
        "$ADMIN" --no-defaults --socket="$dir/mysqld.sock" --user=root \
            --connect-timeout=5 shutdown >/dev/null 2>&1 || kill -TERM "$pid" 2>/dev/null || true
    else
        kill -TERM "$pid" 2>/dev/null || true
    fi
    tries=$((WAIT_SECONDS * 4))
    while kill -0 "$pid" 2>/dev/null; do
        tries=$((tries - 1))
        if [ "$tries" -le 0 ]; then
            say "mariadbd $pid ignored shutdown; killing it"
            kill -KILL "$pid" 2>/dev/null || true
            break
        fi
        sleep 0.25
    done
    rm -f "$dir/mariadbd.pid" "$dir/mysqld.sock"
    say "stopped (pid $pid)"
}

cmd_status() {
    [ $# = 1 ] || usage
    ADMIN=$(find_bin mariadb-admin mysqladmin) || exit 1
    pid_alive "$1" && ping_server "$1"
}

[ $# -ge 1 ] || usage
cmd=$1
shift
case "$cmd" in
start) cmd_start "$@" ;;
stop) cmd_stop "$@" ;;
status) cmd_status "$@" ;;
*) usage ;;
esac
