#!/usr/bin/env bash
# `make vm-test`: the .deb installed and run under a real systemd 254 as PID 1, in a Debian
# bookworm guest under qemu (software emulation: TCG), with the shipped units unchanged.
#
#   packaging/vm/vm-test.sh [--deb PATH]     (`make vm-test` passes an uncompressed build of the
#                                            package; default: out/arbiter_VERSION_ARCH.deb of `make deb`)
#   packaging/vm/vm-test.sh --prepare        only the host tools and the guest's base (`make vm-test`
#                                            runs this in the background while the release build runs)
#   packaging/vm/vm-test.sh --check-root     exit 1 with the command to run unless root
#
# The guest's base root file system is built once (debootstrap, 1 to 4 min) and cached as
# .build-vm/rootfs-KEY.tar, KEY a hash of build-rootfs.sh. A disk image made from it, with the
# package's Depends: downloaded into it and the boot-time runner (guest/vm-test-runner*), is
# cached beside it and booted with -snapshot, so it never changes. The test scripts, the .deb
# and the example policies reach the guest through a virtio-9p share, and the guest writes its
# results there (guest/run-tests.sh); this script fails, with the guest's log and journal, on
# any FAIL, missing check or missing DONE.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
cd "$repo"
# Every check run-tests.sh makes, in order; a check that never reported is a failure.
checks=(install socket_activation ready_status reload_by_edit reload_by_systemctl broken_policy
        hardening watchdog stop_inflight remove_purge)
vm_timeout="${ARBITER_VM_TIMEOUT:-900}"

if [ "$(id -u)" != 0 ]; then
    echo "vm-test: needs root (apt-get for qemu and debootstrap, debootstrap and chroot for the guest)"
    echo "run: sudo make vm-test"
    exit 1
fi
[ "${1:-}" = --check-root ] && exit 0

deb=""
prepare_only=false
while [ $# -gt 0 ]; do
    case "$1" in
        --deb) deb="$2"; shift 2 ;;
        --prepare) prepare_only=true; shift ;;
        *) echo "vm-test.sh: unknown argument '$1'" >&2; exit 2 ;;
    esac
done
started=$SECONDS

# Host tools, installed when missing (idempotent: a second run costs three dpkg-query calls).
need=()
for pkg in qemu-system-x86 debootstrap e2fsprogs; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || need+=("$pkg")
done
if [ ${#need[@]} -gt 0 ]; then
    echo "vm-test: installing ${need[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

cache=.build-vm
mkdir -p "$cache"
# One builder of the base at a time: the main run waits here for a `--prepare` still running.
exec 9>"$cache/prepare.lock"
flock 9
key="$(sha256sum <"$here/build-rootfs.sh" | cut -c1-16)"
base="$cache/rootfs-$key"
# A build killed half-way may have left its chroot's /proc, /sys and /dev mounted: unmount
# them before deleting anything, and never delete across a file system boundary.
unmount_stale() { { grep -o " $(realpath "$cache")/[^ ]*" /proc/mounts || true; } | sort -r | xargs -r -n1 umount -l; }
unmount_stale
if [ ! -f "$base.tar" ]; then
    rm -rf --one-file-system "$cache"/rootfs-*
    echo "vm-test: building the guest's base root file system (cached as $base.tar)"
    "$here/build-rootfs.sh" "$base"
fi
flock -u 9
if $prepare_only; then
    echo "vm-test: guest base ready ($base.tar) in $((SECONDS - started))s"
    exit 0
fi

if [ -z "$deb" ]; then
    version="$(.build/release/arbiter --version)"
    deb="out/arbiter_${version}_$(dpkg --print-architecture).deb"
fi
[ -f "$deb" ] || { echo "vm-test: no package at $deb (run make deb)"; exit 1; }
# The dependency names (versions and alternatives dropped): fetched into the guest image.
mapfile -t deps < <(dpkg-deb -f "$deb" Depends | tr ',' '\n' | sed 's/|.*//; s/(.*//; s/ //g' | sed '/^$/d')

# The disk image: the base, the package's dependencies and the unit that runs the checks at
# boot; rebuilt when any of them changes.
image="$base-$( { cat "$0" "$here/guest/vm-test-runner" "$here/guest/vm-test-runner.service"; printf '%s\n' "${deps[@]}"; } | sha256sum | cut -c1-8).img"
if [ ! -f "$image" ]; then
    echo "vm-test: disk image from $base.tar with ${deps[*]}"
    rm -f "$base"-*.img
    rootdir="$(mktemp -d "$base.img-root.XXXXXX")"
    trap 'unmount_stale; rm -rf --one-file-system "$rootdir"' EXIT
    tar -C "$rootdir" --numeric-owner -xpf "$base.tar"
    # The package's dependencies, downloaded now from the base's apt lists (the guest has no
    # network) and installed by the test with dpkg together with the .deb; the lists go after.
    mount -t proc proc "$rootdir/proc"
    mount --bind /dev "$rootdir/dev"
    DEBIAN_FRONTEND=noninteractive LC_ALL=C chroot "$rootdir" apt-get install -y -q --no-install-recommends \
        --download-only "${deps[@]}" >"$base.deps.log" 2>&1 || { tail -n 40 "$base.deps.log"; exit 1; }
    umount -l "$rootdir/dev" "$rootdir/proc"
    mkdir -p "$rootdir/var/cache/arbiter-vm-test/debs"
    find "$rootdir/var/cache/apt/archives" -maxdepth 1 -name '*.deb' -exec mv -t "$rootdir/var/cache/arbiter-vm-test/debs" {} +
    rm -rf "$rootdir"/var/lib/apt/lists/* "$rootdir"/var/cache/apt/*.bin
    install -m 0755 "$here/guest/vm-test-runner" "$rootdir/usr/local/sbin/vm-test-runner"
    install -m 0644 "$here/guest/vm-test-runner.service" "$rootdir/etc/systemd/system/vm-test-runner.service"
    ln -sf /etc/systemd/system/vm-test-runner.service "$rootdir/etc/systemd/system/multi-user.target.wants/vm-test-runner.service"
    # Boot faster: no fstab entry, so nothing waits for udev to announce /dev/vda (the initrd
    # mounted it read-write already), and no first-boot jobs (ldconfig, catalog update).
    : >"$rootdir/etc/fstab"
    touch "$rootdir/etc/.updated" "$rootdir/var/.updated"
    mkfs.ext4 -q -F -L arbiter-vm -d "$rootdir" "$image.tmp" 2G >/dev/null
    mv "$image.tmp" "$image"
    rm -rf --one-file-system "$rootdir"
    trap - EXIT
fi
prepared=$((SECONDS - started))

# The share: the guest's scripts, the package, the example policies; out/ receives the results.
run="$cache/run"
rm -rf --one-file-system "$run"
mkdir -p "$run/share/out"
cp -r "$here/guest" "$run/share/guest"
# The guest installs an uncompressed package, sparing the emulated guest the xz decompression
# of the 100 MB binary: `make vm-test` builds it so (data.tar); a compressed one (`make deb`'s,
# or --deb) is repacked first, with the same files, modes, owners, sizes and control data, or
# the run stops here.
if ar t "$deb" | grep -qx 'data.tar'; then
    cp "$deb" "$run/share/arbiter.deb"
else
    dpkg-deb -R "$deb" "$run/repack"
    dpkg-deb --root-owner-group -Znone -b "$run/repack" "$run/share/arbiter.deb" >/dev/null
    listing() { dpkg-deb -c "$1" | awk '{ print $1, $2, $3, $6, $7, $8 }'; }
    if ! diff <(listing "$deb") <(listing "$run/share/arbiter.deb") || ! diff <(dpkg-deb -I "$deb" control) <(dpkg-deb -I "$run/share/arbiter.deb" control); then
        echo "vm-test: FAIL the uncompressed copy of $deb differs from it"; exit 1
    fi
    rm -rf "$run/repack"
fi
cp -r examples/policies "$run/share/policies"
chmod -R a+rX "$run/share"

# Guest units that the checks do not need and that cost seconds each under emulation.
masks=""
for unit in e2scrub_reap.service systemd-logind.service systemd-binfmt.service modprobe@fuse.service \
            modprobe@drm.service modprobe@dm_mod.service modprobe@efi_pstore.service modprobe@loop.service \
            serial-getty@ttyS0.service getty@tty1.service systemd-journal-catalog-update.service; do
    masks="$masks systemd.mask=$unit"
done
echo "vm-test: booting the guest (qemu TCG, 2 vCPUs; log in $run/serial.log)"
boot_started=$SECONDS
set +e
timeout --foreground "$vm_timeout" qemu-system-x86_64 \
    -accel tcg,thread=multi -cpu max -smp 2 -m 1536 \
    -nographic -no-reboot -nic none \
    -kernel "$base.vmlinuz" -initrd "$base.initrd" \
    -append "root=/dev/vda rw console=ttyS0 panic=-1 loglevel=4 edd=off systemd.show_status=false $masks" \
    -drive "file=$image,format=raw,if=virtio,cache=unsafe" -snapshot \
    -virtfs "local,path=$run/share,mount_tag=vmtest,security_model=none,id=vmtest" \
    </dev/null 2>&1 | tee "$run/serial.log" | grep -a --line-buffered -o 'vm-test: .*'
qemu_status=${PIPESTATUS[0]}
set -e
guest_seconds=$((SECONDS - boot_started))

out="$run/share/out"
results="$out/results"
excerpt() {
    echo "----- guest journal of arbiter.service and arbiter.socket (last 60 lines of $out/journal-arbiter.txt) -----"
    tail -n 60 "$out/journal-arbiter.txt" 2>/dev/null || echo "(none)"
}
if [ "$qemu_status" = 124 ]; then
    echo "vm-test: FAIL the guest did not power off within ${vm_timeout}s; last console lines:"
    tail -n 40 "$run/serial.log"; excerpt; exit 1
fi
if ! grep -qx DONE "$results" 2>/dev/null; then
    echo "vm-test: FAIL the guest stopped before reporting DONE (qemu exit $qemu_status); last console lines:"
    tail -n 60 "$run/serial.log"; excerpt; exit 1
fi

passed=0; failed=0
for name in "${checks[@]}"; do
    line="$(grep -E "^(PASS|FAIL) $name:" "$results" || true)"
    if [[ "$line" == PASS* ]]; then
        passed=$((passed + 1))
    else
        failed=$((failed + 1))
        echo "vm-test: ${line:-FAIL $name: never reported}"
        echo "----- $out/$name.log -----"
        cat "$out/$name.log" 2>/dev/null || echo "(none)"
    fi
done
unexpected="$(grep -vE "^(PASS|FAIL) ($(IFS='|'; echo "${checks[*]}")):|^SCORE |^DONE$" "$results" || true)"
if [ -n "$unexpected" ]; then
    failed=$((failed + 1))
    echo "vm-test: FAIL unexpected lines in the results: $unexpected"
fi
score="$(sed -n 's/^SCORE //p' "$results")"
echo "vm-test: systemd-analyze security arbiter.service: ${score:-no score}"
echo "vm-test: preparing ${prepared}s, guest ${guest_seconds}s, total $((SECONDS - started))s"
if [ $failed -gt 0 ]; then
    excerpt
fi
echo "vm-test: $passed passed, $failed failed"
[ $failed = 0 ]
