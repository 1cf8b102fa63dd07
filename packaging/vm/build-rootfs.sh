#!/usr/bin/env bash
# Builds the base of the guest of `make vm-test`: a minimal Debian bookworm with systemd 254 from
# bookworm-backports (Type=notify-reload needs 253+) and Debian's kernel with a small initrd.
# It does not depend on the package, so `make vm-test` builds it while the release build runs;
# the package's Depends: are downloaded later, into the disk image (vm-test.sh), from the apt
# lists this keeps. Writes OUT.tar (the root file system), OUT.vmlinuz and OUT.initrd. Needs
# root (debootstrap, chroot) and the Debian mirror that the host's apt uses.
#
#   packaging/vm/build-rootfs.sh OUT
set -euo pipefail

out="$1"
suite=bookworm
# The mirror the host's apt already uses (deb822 or one-line sources), else Debian's default.
mirror="$(sed -n 's/^URIs: *\(http[^ ]*debian\)\/* *$/\1/p; s/^deb  *\(\[[^]]*\] *\)\{0,1\}\(http[^ ]*debian\)\/*  *bookworm .*/\2/p' \
    /etc/apt/sources.list.d/*.sources /etc/apt/sources.list 2>/dev/null | head -n1 || true)"
mirror="${mirror:-http://deb.debian.org/debian}"

root="$(mktemp -d "${out}.root.XXXXXX")"
cleanup() {
    for m in dev/pts dev sys proc; do mountpoint -q "$root/$m" && umount -l "$root/$m"; done
    # Never through a bind mount of the host's /dev that failed to come off.
    rm -rf --one-file-system "$root"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

echo "vm-test: debootstrap $suite (minbase) from $mirror"
debootstrap --variant=minbase "$suite" "$root" "$mirror" >"$out.debootstrap.log" 2>&1 \
    || { tail -n 30 "$out.debootstrap.log" >&2; exit 1; }

# No man pages, info or translations in the guest: less to copy on every run.
cat >"$root/etc/dpkg/dpkg.cfg.d/01-vm-test-excludes" <<'CFG'
path-exclude=/usr/share/man/*
path-exclude=/usr/share/info/*
path-exclude=/usr/share/locale/*
CFG
cat >"$root/etc/apt/sources.list" <<LIST
deb $mirror $suite main
deb $mirror $suite-updates main
deb $mirror $suite-backports main
LIST
# The initrd only needs to find an ext4 root on virtio: 6.5 MB instead of 36 MB with MODULES=most.
mkdir -p "$root/etc/initramfs-tools/conf.d"
echo "MODULES=list" >"$root/etc/initramfs-tools/conf.d/vm-test.conf"
printf '%s\n' virtio_pci virtio_blk ext4 >>"$root/etc/initramfs-tools/modules"
echo arbiter-vm >"$root/etc/hostname"

mount -t proc proc "$root/proc"
mount -t sysfs sys "$root/sys"
mount --bind /dev "$root/dev"
mount --bind /dev/pts "$root/dev/pts"
in_root() { DEBIAN_FRONTEND=noninteractive LC_ALL=C chroot "$root" "$@"; }
apt_install() { in_root apt-get install -y -q --no-install-recommends "$@"; }

echo "vm-test: systemd from $suite-backports, kernel, python3-minimal"
{
    in_root apt-get update -q
    apt_install -t "$suite-backports" systemd systemd-sysv udev libsystemd0 libudev1 dbus
    apt_install linux-image-amd64 initramfs-tools python3-minimal
    in_root apt-get clean
} >"$out.apt.log" 2>&1 || { tail -n 40 "$out.apt.log" >&2; exit 1; }
in_root systemctl --version | head -n1

# Only the modules a virtio guest with ext4 and 9p needs; the rest of /lib/modules is ~300 MB.
for kdir in "$root"/lib/modules/*/kernel; do
    find "$kdir" -mindepth 1 -maxdepth 1 ! -name fs ! -name lib ! -name crypto ! -name arch ! -name net ! -name drivers -exec rm -rf {} +
    find "$kdir/net" -mindepth 1 -maxdepth 1 ! -name 9p -exec rm -rf {} +
    find "$kdir/drivers" -mindepth 1 -maxdepth 1 ! -name virtio ! -name block ! -name char -exec rm -rf {} +
    in_root depmod "$(basename "$(dirname "$kdir")")"
done

# Root logs in on the console without a password (the guest is thrown away after each run).
in_root passwd -d root >/dev/null 2>&1 || sed -i 's/^root:[^:]*:/root::/' "$root/etc/shadow"
echo "/dev/vda / ext4 rw,errors=remount-ro 0 1" >"$root/etc/fstab"
# apt's lists stay (vm-test.sh resolves the package's dependencies from them); its caches go.
in_root apt-get clean
rm -rf "$root"/var/cache/apt/*.bin

cp "$(ls "$root"/boot/vmlinuz-* | tail -n1)" "$out.vmlinuz"
cp "$(ls "$root"/boot/initrd.img-* | tail -n1)" "$out.initrd"
for m in dev/pts dev sys proc; do umount -l "$root/$m"; done
tar -C "$root" --numeric-owner -cf "$out.tar.tmp" .
mv "$out.tar.tmp" "$out.tar"
echo "vm-test: root file system $(du -h "$out.tar" | cut -f1), initrd $(du -h "$out.initrd" | cut -f1)"
