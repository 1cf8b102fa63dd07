#!/usr/bin/env bash
# Builds the arbiter .deb: the binary, the systemd units, the sysusers entry, a commented default
# config, an empty policy directory and the maintainer scripts. `make deb` calls it after a
# release build; the packaging tests call it with the debug binary.
#
#   packaging/deb/build.sh [--binary PATH] [--output DIR] [--version V] [--compression xz|gzip|zstd|none]
#                          [--allow-unpackaged-libs] [--target-release CODENAME]
#
# The package is for one Debian release, bookworm by default (docs/operations.md says which):
# every package named in Depends: must exist in that release's own archive (with its -updates
# and -security suites; backports do not count), as this machine's apt lists show, or the build
# fails. A binary built on a newer release links newer sonames (trixie: libre2-11) that the
# target release does not have.
#
# Prints the path of the .deb on its last line.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
binary="$repo/.build/release/arbiter"
output="$repo/out"
version=""
allow_unpackaged=0
compression=xz
target_release=bookworm

while [ $# -gt 0 ]; do
    case "$1" in
        --binary) binary="$2"; shift 2 ;;
        --output) output="$2"; shift 2 ;;
        --version) version="$2"; shift 2 ;;
        # xz makes the smallest package; the tests, which throw theirs away, skip the minute it costs.
        --compression) compression="$2"; shift 2 ;;
        # A debug build links the Swift runtime from the toolchain, which no Debian package
        # provides; fine for a test on the build machine, wrong for a package to ship.
        --allow-unpackaged-libs) allow_unpackaged=1; shift ;;
        --target-release) target_release="$2"; shift 2 ;;
        *) echo "build.sh: unknown argument '$1'" >&2; exit 2 ;;
    esac
done

die() { echo "build.sh: $*" >&2; exit 1; }
[ -x "$binary" ] || die "no executable at $binary (run 'make release' or pass --binary PATH)"
command -v dpkg-deb >/dev/null || die "dpkg-deb not found (apt-get install dpkg)"
command -v strip >/dev/null || die "strip not found (apt-get install binutils)"

if [ -z "$version" ]; then
    version="$("$binary" --version)" || die "'$binary --version' failed"
fi
[[ "$version" =~ ^[0-9][A-Za-z0-9.+~-]*$ ]] || die "'$version' is not a Debian version"
arch="$(dpkg --print-architecture)"

# Runtime dependencies: the Debian package that owns each shared library the binary needs.
ldconfig_bin="$(command -v ldconfig || echo /sbin/ldconfig)"
depends=()
unpackaged=()
while read -r lib; do
    # The readers below consume all their input: one that stopped early would leave the writer
    # to die of SIGPIPE, which pipefail turns into a failed build (exit 141), depending on timing.
    path="$("$ldconfig_bin" -p | awk -v l="$lib" '!found && $1 == l && $NF ~ /^\// { print $NF; found = 1 }')"
    if [ -z "$path" ]; then
        # Not in the linker cache: found through the binary's RUNPATH (the Swift toolchain).
        unpackaged+=("$lib"); continue
    fi
    pkg=""
    # With merged /usr, dpkg may have recorded the file under /lib or /usr/lib.
    for candidate in "$path" "$(readlink -f "$path")" "${path#/usr}" "/usr${path#/usr}"; do
        pkg="$(dpkg-query -S "$candidate" 2>/dev/null | awk -F: 'NR == 1 { print $1 }')" && [ -n "$pkg" ] && break
    done
    if [ -n "$pkg" ]; then depends+=("$pkg"); else unpackaged+=("$lib"); fi
done < <(readelf -d "$binary" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p')

if [ ${#unpackaged[@]} -gt 0 ]; then
    msg="libraries from no Debian package: ${unpackaged[*]}"
    if [ "$allow_unpackaged" = 1 ]; then
        echo "build.sh: warning: $msg (allowed by --allow-unpackaged-libs)" >&2
    else
        die "$msg; build with 'swift build -c release --static-swift-stdlib' (make deb does)"
    fi
fi
# Every dependency must resolve in the target release. apt's lists must include that release.
has_release_lists() { apt-cache policy 2>/dev/null | grep -q "n=$target_release,"; }
if ! has_release_lists && [ "$(id -u)" = 0 ]; then
    apt-get update -qq >/dev/null 2>&1 || true
fi
has_release_lists || die "apt knows no package list of Debian $target_release, so Depends: cannot be checked against it; run 'apt-get update' on a $target_release machine (or pass --target-release)"
unresolved=()
for pkg in $(printf '%s\n' "${depends[@]}" | sort -u); do
    # `apt-cache madison` lines: " pkg | version | URI suite/component arch Packages".
    if ! apt-cache madison "$pkg" 2>/dev/null \
        | awk -F'|' -v r="$target_release" '{ split($3, a, " "); if (a[2] ~ ("^" r "(-updates|-security)?/")) found = 1 } END { exit !found }'; then
        unresolved+=("$pkg")
    fi
done
if [ ${#unresolved[@]} -gt 0 ]; then
    die "Depends: names packages that Debian $target_release does not have: ${unresolved[*]}; build on $target_release (docs/operations.md, Supported Debian releases)"
fi
depends_line="$(printf '%s\n' "${depends[@]}" | sort -u | paste -sd, - | sed 's/,/, /g')"

stage="$(mktemp -d)"
trap 'rm -rf "$stage"' EXIT
pkgroot="$stage/arbiter"

install -d -m 0755 "$pkgroot/DEBIAN" "$pkgroot/usr/bin" "$pkgroot/usr/lib/systemd/system" \
    "$pkgroot/usr/lib/sysusers.d" "$pkgroot/usr/share/doc/arbiter" "$pkgroot/etc/arbiter" \
    "$pkgroot/etc/arbiter/policies"
install -m 0755 "$binary" "$pkgroot/usr/bin/arbiter"
# Without its DWARF (Debian policy 10.1: shipped binaries are stripped): a release build carries
# about 40 MB of it. The symbol table stays, so stack traces in gdb or perf still name functions.
strip --strip-debug "$pkgroot/usr/bin/arbiter"
install -m 0644 "$repo/systemd/arbiter.service" "$repo/systemd/arbiter.socket" "$pkgroot/usr/lib/systemd/system/"
install -m 0644 "$here/arbiter.sysusers" "$pkgroot/usr/lib/sysusers.d/arbiter.conf"
install -m 0644 "$here/config.yaml" "$pkgroot/etc/arbiter/config.yaml"
install -m 0644 "$here/copyright" "$pkgroot/usr/share/doc/arbiter/copyright"
if [ -f "$repo/docs/operations.md" ]; then
    install -m 0644 "$repo/docs/operations.md" "$pkgroot/usr/share/doc/arbiter/operations.md"
fi
install -m 0755 "$here/postinst" "$here/prerm" "$here/postrm" "$pkgroot/DEBIAN/"
echo "/etc/arbiter/config.yaml" > "$pkgroot/DEBIAN/conffiles"

installed_size="$(du -sk --exclude=DEBIAN "$pkgroot" | cut -f1)"
{
    echo "Package: arbiter"
    echo "Version: $version"
    echo "Architecture: $arch"
    echo "Maintainer: Arbiter maintainers <arbiter@localhost>"
    echo "Installed-Size: $installed_size"
    [ -n "$depends_line" ] && echo "Depends: $depends_line"
    echo "Section: admin"
    echo "Priority: optional"
    echo "Description: Cerbos-compatible authorization policy decision point"
    echo " Arbiter answers CheckResources requests from local processes over a Unix"
    echo " socket, from a directory of Cerbos YAML policies that it hot-reloads."
} > "$pkgroot/DEBIAN/control"
(cd "$pkgroot" && find . -path ./DEBIAN -prune -o -type f ! -path './etc/*' -printf '%P\0' \
    | sort -z | xargs -0 md5sum) > "$pkgroot/DEBIAN/md5sums"

mkdir -p "$output"
deb="$output/arbiter_${version}_${arch}.deb"
dpkg-deb --root-owner-group -Z"$compression" --build "$pkgroot" "$deb" >/dev/null
echo "$deb"
