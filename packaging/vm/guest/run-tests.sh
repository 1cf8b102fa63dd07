#!/bin/bash
# Runs inside the VM guest (systemd 254 as PID 1), from the virtio-9p share mounted at $1:
# installs arbiter.deb with dpkg and its dependencies, then checks the shipped units under the
# real systemd. Each check appends "PASS name: detail" or "FAIL name: detail" to
# $1/out/results, then "DONE"; the host (packaging/vm/vm-test.sh) reads that file and fails
# on any FAIL, on a missing check and on a missing DONE.
set -uo pipefail

share="$1"
out="$share/out"
results="$out/results"
client="python3 $share/guest/client.py"
policies=/etc/arbiter/policies
socket=/run/arbiter/arbiter.sock
: >"$results"

log() { echo "vm-test: $*"; }
record() { echo "$*" >>"$results"; sync "$results" 2>/dev/null || true; log "$*"; }

# check NAME FUNCTION: runs FUNCTION with its output in $out/NAME.log; its last line is the
# detail recorded with PASS or FAIL.
check() {
    local name="$1" fn="$2" status started=$SECONDS
    log "--- $name"
    # A subshell, so that die ends the check and nothing else.
    ("$fn") >"$out/$name.log" 2>&1
    status=$?
    local detail
    detail="$(tail -n1 "$out/$name.log") ($((SECONDS - started)) s)"
    if [ $status = 0 ]; then record "PASS $name: $detail"; else record "FAIL $name: $detail"; fi
    return 0
}

say() { echo "$*"; }
die() { echo "$*"; exit 1; }
state() { systemctl show -P "$2" "$1"; }
cursor() { journalctl -n0 --show-cursor -q | sed -n 's/^-- cursor: //p'; }
# The journal lines of both units since a cursor, systemd's own debug lines included.
journal_since() { journalctl --after-cursor="$1" -u arbiter.service -u arbiter.socket -o cat --no-pager; }
# wait_for SECONDS COMMAND...: polls every 0.2 s until COMMAND succeeds.
wait_for() {
    local deadline=$((SECONDS + $1)); shift
    until "$@" >/dev/null 2>&1; do
        [ $SECONDS -lt $deadline ] || return 1
        sleep 0.2
    done
}
journal_has() { journal_since "$1" | grep -qE "$2"; }
# The service's state changes as systemd logged them (debug level), one per line: "a -> b".
transitions() { journal_since "$1" | sed -n 's/^arbiter\.service: Changed \(.*\)$/\1/p'; }
status_is() { [[ "$(state arbiter.service StatusText)" =~ $1 ]]; }
# The probe with a longer deadline than its 2 s default: the guest is emulated (TCG), several
# times slower than the host.
health() { arbiter health --timeout 10 "$@"; }

t_install() {
    shopt -s nullglob
    local debs=(/var/cache/arbiter-vm-test/debs/*.deb)
    say "dependencies: ${debs[*]##*/}"
    local t=$SECONDS
    # Onto the guest's disk first: dpkg reads the package in small pieces, each a 9p round trip.
    cp "$share/arbiter.deb" /var/tmp/arbiter.deb
    say "copy from the share took $((SECONDS - t)) s"; t=$SECONDS
    # --force-unsafe-io: no fsync per unpacked file; the guest is thrown away anyway.
    dpkg --force-unsafe-io --unpack "${debs[@]}" /var/tmp/arbiter.deb || die "dpkg --unpack failed"
    say "dpkg --unpack took $((SECONDS - t)) s"; t=$SECONDS
    dpkg --configure --pending || die "dpkg --configure failed"
    say "dpkg --configure took $((SECONDS - t)) s"; t=$SECONDS
    dpkg -s arbiter | grep -q '^Status: install ok installed' || die "arbiter is not installed"
    getent group arbiter || die "postinst created no arbiter group"
    for unit in arbiter.socket arbiter.service; do
        [ "$(systemctl is-enabled $unit)" = enabled ] || die "$unit is $(systemctl is-enabled $unit), not enabled"
        [ "$(systemctl is-active $unit)" = inactive ] || die "$unit is $(systemctl is-active $unit): postinst must not start it"
    done
    [ "$(state arbiter.service Type)" = notify-reload ] || die "systemd reads Type=$(state arbiter.service Type)"
    cp -r "$share/policies/." "$policies/"
    say "checks took $((SECONDS - t)) s"; t=$SECONDS
    arbiter compile "$policies" >/dev/null || die "arbiter compile $policies exited $?"
    say "arbiter compile took $((SECONDS - t)) s"
    say "installed ($(dpkg-query -W -f='${Version}' arbiter)), both units enabled and inactive, Type=notify-reload"
}

t_socket_activation() {
    systemctl start arbiter.socket || die "systemctl start arbiter.socket failed"
    [ "$(systemctl is-active arbiter.service)" = inactive ] || die "arbiter.service is $(systemctl is-active arbiter.service) before any client"
    local listing inode
    listing="$(stat -c '%F %a %U:%G' $socket)" || die "no $socket"
    [ "$listing" = "socket 660 root:arbiter" ] || die "$socket is '$listing', expected 'socket 660 root:arbiter'"
    inode="$(stat -c %i $socket)"
    local c; c="$(cursor)"
    local answer
    answer="$($client health)" || die "the client was not answered: $answer"
    say "answer: $answer"
    [[ "$answer" == *'"status":"SERVING"'* ]] || die "answer is not SERVING: $answer"
    journal_has "$c" 'arbiter\.socket: Incoming traffic' || die "systemd logged no incoming traffic on arbiter.socket"
    [ "$(systemctl is-active arbiter.service)" = active ] || die "arbiter.service is $(systemctl is-active arbiter.service) after the client"
    local pid; pid="$(state arbiter.service MainPID)"
    local env; env="$(tr '\0' '\n' </proc/$pid/environ)"
    grep -qx 'LISTEN_FDS=1' <<<"$env" || die "the daemon got no LISTEN_FDS=1"
    grep -qx 'LISTEN_FDNAMES=arbiter' <<<"$env" || die "the daemon got no LISTEN_FDNAMES=arbiter"
    journal_has "$c" 'using the socket passed by systemd socket activation' || die "the daemon did not say it adopted the socket"
    [ "$(stat -c %i $socket)" = "$inode" ] || die "the socket file was replaced (the daemon bound its own)"
    say "a client connected while arbiter.service was inactive and got SERVING; LISTEN_FDS=1, LISTEN_FDNAMES=arbiter, same socket inode"
}

t_ready_status() {
    local c0="$1"
    [ "$(state arbiter.service ActiveState)/$(state arbiter.service SubState)" = active/running ] || die "not active (running)"
    local text; text="$(state arbiter.service StatusText)"
    [[ "$text" =~ ^[0-9]+\ policies,\ generation\ 1,\ last\ reload\ ok$ ]] || die "StatusText is '$text'"
    systemctl status arbiter.service --no-pager | grep -F "Status: \"$text\"" || die "systemctl status shows no Status: line"
    # Order as systemd saw it: the READY=1 message first, then start -> running.
    local lines; lines="$(journal_since "$c0" | grep -nE 'Got notification message .*READY=1|arbiter\.service: Changed start -> running' )"
    say "$lines"
    local ready running
    ready="$(grep -m1 'READY=1' <<<"$lines" | cut -d: -f1)"
    running="$(grep -m1 'start -> running' <<<"$lines" | cut -d: -f1)"
    [ -n "$ready" ] && [ -n "$running" ] || die "systemd logged no READY=1 and start -> running"
    [ "$ready" -lt "$running" ] || die "active (running) came before READY=1"
    health || die "arbiter health failed right after start"
    say "active (running) after READY=1; Status: \"$text\""
}

t_reload_by_edit() {
    local before; before="$($client check vmtest)"
    [[ "$before" == *'"view":"EFFECT_DENY"'* ]] || die "kind vmtest allowed before its policy exists: $before"
    local c; c="$(cursor)"
    cp "$share/guest/vmtest.yaml" "$policies/vmtest.yaml"
    wait_for 30 status_is 'generation 2, last reload ok' || die "no reload: StatusText is '$(state arbiter.service StatusText)'"
    local moves; moves="$(transitions "$c")"
    say "$moves"
    grep -qx 'running -> reload-notify' <<<"$moves" || die "systemd never saw RELOADING=1"
    [ "$(tail -n1 <<<"$moves")" = 'reload-notify -> running' ] || die "systemd did not return to running after READY=1"
    local after; after="$($client check vmtest)"
    [[ "$after" == *'"view":"EFFECT_ALLOW"'* ]] || die "the new policy is not served: $after"
    say "inotify reload: running -> reload-notify -> running, generation 2, new policy served"
}

t_reload_by_systemctl() {
    local c; c="$(cursor)"
    systemctl reload arbiter.service || die "systemctl reload exited $?"
    status_is 'generation 3, last reload ok' || die "after systemctl reload StatusText is '$(state arbiter.service StatusText)'"
    local moves; moves="$(transitions "$c")"
    say "$moves"
    [ "$moves" = $'running -> reload-signal\nreload-signal -> reload-notify\nreload-notify -> running' ] \
        || die "unexpected state changes for systemctl reload"
    journal_has "$c" 'SIGHUP' || die "the daemon did not log a SIGHUP reload"
    say "systemctl reload: reload-signal -> reload-notify -> running, returned after READY=1, generation 3"
}

t_broken_policy() {
    local c; c="$(cursor)"
    # Removed however the check ends: left behind, it would stop every later (re)start.
    trap 'rm -f "$policies/broken.yaml"' EXIT
    cp "$share/guest/broken.yaml" "$policies/broken.yaml"
    wait_for 30 status_is 'FAILED' || die "no failed reload: StatusText is '$(state arbiter.service StatusText)'"
    local text; text="$(state arbiter.service StatusText)"
    say "StatusText: $text"
    [[ "$text" =~ generation\ 3,\ last\ reload\ FAILED\ \([0-9]+\ problems,\ previous\ policies\ in\ service\) ]] || die "StatusText '$text'"
    [ "$(state arbiter.service ActiveState)" = active ] || die "the service is $(state arbiter.service ActiveState)"
    local answer t=$SECONDS; answer="$(health)"; say "$answer (answered in $((SECONDS - t)) s)"
    [[ "$answer" == *SERVING*generation=3*lastReload=FAILURE* ]] || die "arbiter health: $answer"
    local after; after="$($client check vmtest)"
    [[ "$after" == *'"view":"EFFECT_ALLOW"'* ]] || die "the old snapshot is not served: $after"
    journal_since "$c" | grep -F 'broken.yaml' | head -n3
    journal_has "$c" 'broken\.yaml' || die "the journal does not name broken.yaml"
    rm "$policies/broken.yaml"
    wait_for 30 status_is 'generation 4, last reload ok' || die "no recovery: StatusText is '$(state arbiter.service StatusText)'"
    say "old snapshot kept (generation 3), Status: \"$text\"; fixed: generation 4"
}

t_hardening() {
    local pid; pid="$(state arbiter.service MainPID)"
    local st; st="$(cat /proc/$pid/status)"
    [ "$(stat -c %U /proc/$pid)" = arbiter ] || die "the daemon runs as $(stat -c %U /proc/$pid)"
    grep -qE '^CapEff:\s+0+$' <<<"$st" || die "effective capabilities: $(grep CapEff <<<"$st")"
    grep -qE '^CapBnd:\s+0+$' <<<"$st" || die "bounding set: $(grep CapBnd <<<"$st")"
    grep -qE '^NoNewPrivs:\s+1$' <<<"$st" || die "NoNewPrivs is not set"
    grep -qE '^Seccomp:\s+2$' <<<"$st" || die "no seccomp filter"
    [ "$(readlink /proc/$pid/ns/net)" != "$(readlink /proc/1/ns/net)" ] || die "not in a private network namespace"
    [ "$(readlink /proc/$pid/ns/mnt)" != "$(readlink /proc/1/ns/mnt)" ] || die "not in its own mount namespace"
    # Root inside the daemon's mount namespace gets EROFS: the read-only mount holds, not just file modes.
    local write
    write="$(nsenter -t "$pid" -m touch $policies/written-by-daemon 2>&1)" && die "root in the daemon's namespace wrote $policies"
    say "write to $policies in the daemon's namespace: $write"
    [[ "$write" == *"Read-only file system"* ]] || die "expected EROFS, got: $write"
    write="$(nsenter -t "$pid" -m -S "$(id -u arbiter)" -G "$(id -g arbiter)" touch /etc/arbiter/config.yaml 2>&1)" && die "the daemon's user could write config.yaml"
    [ -e $policies/written-by-daemon ] && die "a file appeared in $policies"
    local outsider member
    outsider="$($client errno nobody nogroup)"
    [ "$outsider" = EACCES ] || die "nobody (not in arbiter) connecting: $outsider"
    member="$($client errno nobody nogroup arbiter)"
    [ "$member" = connected ] || die "nobody with the arbiter group connecting: $member"
    local report score
    report="$(systemd-analyze security arbiter.service --no-pager 2>&1)"
    echo "$report" >"$out/security.txt"
    score="$(tail -n1 <<<"$report" | grep -oE '[0-9]+\.[0-9]+' | head -n1)"
    [ -n "$score" ] || die "no score from systemd-analyze security: $(tail -n2 <<<"$report")"
    record "SCORE $score $(tail -n1 <<<"$report" | sed 's/.*: [0-9.]* //')"
    awk -v s="$score" 'BEGIN { exit !(s <= 2.5) }' || die "exposure $score is above 2.5"
    say "uid arbiter, no capabilities, NoNewPrivs, seccomp, own net+mount namespaces, policies EROFS, outsider EACCES, group member served, exposure $score"
}

t_watchdog() {
    local pid; pid="$(state arbiter.service MainPID)"
    local restarts; restarts="$(state arbiter.service NRestarts)"
    local limit_us; limit_us="$(state arbiter.service WatchdogUSec)"
    say "WatchdogUSec=$limit_us"
    local c; c="$(cursor)"
    local t0=$SECONDS
    kill -STOP "$pid"
    wait_for 60 journal_has "$c" 'Watchdog timeout' || die "no watchdog timeout within 60 s of SIGSTOP"
    local fired=$((SECONDS - t0))
    new_pid_running() { local p; p="$(state arbiter.service MainPID)"; [ "$p" != 0 ] && [ "$p" != "$pid" ] && [ "$(state arbiter.service SubState)" = running ]; }
    wait_for 90 new_pid_running || die "no new daemon after the watchdog fired"
    local restarted=$((SECONDS - t0))
    journal_since "$c" | grep -E 'Watchdog timeout|Scheduled restart|Changed .*-> (stop-watchdog|auto-restart|running)' | head -n 8
    [ "$(state arbiter.service NRestarts)" = $((restarts + 1)) ] || die "NRestarts is $(state arbiter.service NRestarts), expected $((restarts + 1))"
    # The daemon pings every WatchdogSec/2, so systemd fires between WatchdogSec/2 and WatchdogSec
    # after the SIGSTOP; 10 s more allow for a busy emulated guest.
    local limit; limit="$(systemd-analyze timespan "$limit_us" | sed -n 's/^ *\(μ\|u\)s: *//p')"
    limit=$((${limit:-0} / 1000000))
    [ "$limit" -gt 0 ] || die "no watchdog configured (WatchdogUSec=$limit_us)"
    [ $fired -le $((limit + 10)) ] || die "the watchdog fired ${fired} s after SIGSTOP, WatchdogSec is ${limit} s"
    health >/dev/null || die "the restarted daemon is not serving"
    say "SIGSTOP: watchdog fired after ${fired} s, new daemon running after ${restarted} s, NRestarts $restarts -> $((restarts + 1))"
}

t_stop_inflight() {
    $client inflight 4 200 || die "$(grep FAIL "$out/stop_inflight.log" | head -n1)"
    local result code status
    result="$(state arbiter.service Result)"; code="$(state arbiter.service ExecMainCode)"; status="$(state arbiter.service ExecMainStatus)"
    [ "$(systemctl is-active arbiter.service)" = inactive ] || die "arbiter.service is $(systemctl is-active arbiter.service) after stop"
    [ "$result/$code/$status" = success/1/0 ] || die "Result=$result ExecMainCode=$code ExecMainStatus=$status, expected success, exited, 0"
    [ "$(systemctl is-active arbiter.socket)" = active ] || die "arbiter.socket went away with the service"
    say "800 pipelined requests answered in order across systemctl stop; exited 0 (Result=success)"
}

t_remove_purge() {
    local t=$SECONDS
    systemctl start arbiter.service && health >/dev/null || die "could not start the daemon again"
    say "start took $((SECONDS - t)) s"; t=$SECONDS
    apt-get remove -y -q -o Dpkg::Options::=--force-unsafe-io arbiter || die "apt-get remove failed"
    say "apt-get remove took $((SECONDS - t)) s"; t=$SECONDS
    for unit in arbiter.service arbiter.socket; do
        [ "$(systemctl is-active $unit)" = inactive ] || die "$unit is $(systemctl is-active $unit) after remove"
    done
    [ ! -e /usr/bin/arbiter ] || die "/usr/bin/arbiter is still there"
    [ ! -e /usr/lib/systemd/system/arbiter.service ] || die "the unit file is still there"
    [ ! -e $socket ] || die "$socket is still there"
    [ -f /etc/arbiter/config.yaml ] || die "remove deleted /etc/arbiter/config.yaml"
    [ -f $policies/vmtest.yaml ] || die "remove deleted the policies"
    dpkg -s arbiter | grep -q '^Status: deinstall ok config-files' || die "dpkg status after remove: $(dpkg -s arbiter | grep Status)"
    say "after remove: $(ls /etc/systemd/system | grep arbiter | tr '\n' ' ')"
    t=$SECONDS
    apt-get purge -y -q -o Dpkg::Options::=--force-unsafe-io arbiter || die "apt-get purge failed"
    say "apt-get purge took $((SECONDS - t)) s"
    [ ! -e /etc/arbiter/config.yaml ] || die "purge kept /etc/arbiter/config.yaml"
    local left; left="$(find /etc/systemd/system /var/lib/systemd/deb-systemd-helper-enabled /var/lib/systemd/deb-systemd-helper-masked -name 'arbiter*' 2>/dev/null)"
    [ -z "$left" ] || die "purge left enable or mask state: $left"
    dpkg -s arbiter >/dev/null 2>&1 && die "dpkg still knows arbiter after purge"
    getent passwd arbiter >/dev/null || die "purge removed the arbiter user (docs: it stays)"
    [ -f $policies/vmtest.yaml ] || die "purge deleted the administrator's policies"
    say "remove: units stopped, files gone, config and policies kept; purge: config and unit state gone, user and policies kept"
}

log "systemd $(systemctl --version | head -n1 | cut -d' ' -f2), kernel $(uname -r), $(systemd-analyze time | head -n1)"
systemd-analyze blame --no-pager >"$out/boot-blame.txt" 2>&1
check install t_install
if grep -q '^PASS install' "$results"; then
    # From here to the reload checks, systemd's debug log shows each state change of the unit
    # and each sd_notify message it got (after the install: debug level slows daemon-reload).
    systemd-analyze log-level debug
    boot_cursor="$(cursor)"
    check socket_activation t_socket_activation
    ready_status() { t_ready_status "$boot_cursor"; }
    check ready_status ready_status
    check reload_by_edit t_reload_by_edit
    check reload_by_systemctl t_reload_by_systemctl
    # The rest needs no state changes from systemd's log; debug level slows every daemon-reload.
    systemd-analyze log-level info
    check broken_policy t_broken_policy
    check hardening t_hardening
    check watchdog t_watchdog
    check stop_inflight t_stop_inflight
    check remove_purge t_remove_purge
fi
journalctl -b -u arbiter.service -u arbiter.socket -o short-monotonic --no-pager >"$out/journal-arbiter.txt" 2>&1
journalctl -b -o short-monotonic --no-pager >"$out/journal-all.txt" 2>&1
record DONE
