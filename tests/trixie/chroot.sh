#!/usr/bin/env bash
# One Debian 13 (trixie) chroot for the checks that need newer tools than Debian 12 has:
# GCC 14 with Boost 1.88 and Catch2 3 (the toolchain nixpkgs users build with), and Nix 2.26
# (current nixpkgs lib refuses Nix < 2.18; Debian 12 has 2.8).
#
#   tests/trixie/chroot.sh ensure            make or update it; prints its path (inside the
#                                            chroot, that path is a symlink to its /)
#   tests/trixie/chroot.sh run [-n] [-b SRC:DST]... CMD [ARG...]
#                                            run CMD inside it (as root), with SRC bind-mounted
#                                            read-write at DST; /proc and /dev are mounted in a
#                                            private mount namespace, so nothing stays mounted;
#                                            -n: in a private network namespace too, loopback
#                                            only (after `ensure`, which may need the mirror)
#
# Root only. Made once with debootstrap (about 2 minutes and 1 GB), then reused: the package list
# below is stamped into it, and a changed list only installs what is missing. Exit 77 with the
# reason when it cannot be made (no debootstrap, no Debian mirror): callers skip, never fail.
set -euo pipefail
root=${MVH_TRIXIE_ROOT:-/var/cache/microvm-here/trixie}
packages=(nix-bin g++ cmake ninja-build pkg-config make libboost1.88-dev libboost-filesystem1.88-dev
  libssh-dev libsystemd-dev libspdlog-dev libfmt-dev catch2 libtomlplusplus-dev nlohmann-json3-dev
  ca-certificates ccache)

skip() { echo "tests/trixie/chroot.sh: skipped: $*" >&2; exit 77; }

mirror() {
  # The mirror apt already uses on this machine (deb822 or one-line format), else Debian's default.
  local m
  m=$(grep -hoE '^(URIs:[[:space:]]*|deb[[:space:]]+)https?://[^[:space:]]+/debian/?' \
    /etc/apt/sources.list.d/*.sources /etc/apt/sources.list 2>/dev/null | head -n1 |
    grep -oE 'https?://[^[:space:]]+' || true)
  echo "${MVH_DEBIAN_MIRROR:-${m:-http://deb.debian.org/debian}}"
}

in_root() { # [-n] CMD...: run inside the chroot with /proc and /dev, in a private mount namespace
  local ns=(--mount) lo=:
  if [ "${1:-}" = -n ]; then ns+=(--net); lo='ip link set lo up'; shift; fi
  unshare "${ns[@]}" -- sh -c '
    set -e; r=$1; shift
    '"$lo"'
    mount --make-rprivate /
    mount -t proc proc "$r/proc"
    mount --rbind /dev "$r/dev"
    while [ "$1" = -b ]; do mkdir -p "$r$3"; mount --rbind "$2" "$r$3"; shift 3; done
    exec chroot "$r" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8 "$@"
  ' sh "$root" "$@"
}

configure() {
  # debootstrap's minbase writes no /etc/hosts (so "localhost" does not resolve), and Nix's default
  # build-users-group (nixbld) does not exist here: nix-instantiate would warn on stderr. Only
  # evaluation runs in the chroot, never a build, so Nix needs no build users.
  [ -e "$root/etc/hosts" ] || printf '127.0.0.1 localhost\n::1 localhost ip6-localhost\n' >"$root/etc/hosts"
  mkdir -p "$root/etc/nix"
  [ -e "$root/etc/nix/nix.conf" ] || echo 'build-users-group =' >"$root/etc/nix/nix.conf"
  # $root inside the chroot leads back to its /, so a path into the chroot as the host sees it
  # also works inside: tests/trixie/build.sh links the binaries with the chroot's dynamic loader
  # and libc by their host paths, and runs them both here and on the host.
  if [ ! -L "$root$root" ]; then
    mkdir -p "$root$(dirname "$root")"
    ln -s / "$root$root"
  fi
}

ensure() {
  [ "$(id -u)" -eq 0 ] || skip "needs root (debootstrap, chroot)"
  mkdir -p "$(dirname "$root")"
  exec 9>"$root.lock"
  flock 9
  local want
  want=$(printf '%s\n' "${packages[@]}" | sha256sum | cut -c1-16)
  if [ -f "$root/.mvh-packages-$want" ]; then configure; exec 9>&-; echo "$root"; return; fi
  if [ ! -x "$root/usr/bin/apt-get" ]; then
    command -v debootstrap >/dev/null || skip "debootstrap is not installed (apt-get install debootstrap)"
    echo "tests/trixie/chroot.sh: debootstrap trixie into $root (once; a few minutes)" >&2
    rm -rf --one-file-system "$root.new"
    debootstrap --variant=minbase trixie "$root.new" "$(mirror)" >"$root.debootstrap.log" 2>&1 ||
      skip "debootstrap failed (no Debian mirror reachable?); see $root.debootstrap.log"
    mv -T "$root.new" "$root"
  fi
  cp /etc/resolv.conf "$root/etc/resolv.conf" 2>/dev/null || true
  echo "tests/trixie/chroot.sh: installing ${#packages[@]} packages in $root" >&2
  if ! in_root sh -c 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
      --no-install-recommends "$@"' sh "${packages[@]}" >"$root.apt.log" 2>&1; then
    skip "apt-get in the trixie chroot failed (no Debian mirror reachable?); see $root.apt.log"
  fi
  rm -f "$root"/.mvh-packages-*
  touch "$root/.mvh-packages-$want"
  configure
  exec 9>&- # the lock guards making the chroot, not its use: parallel `run`s are fine
  echo "$root"
}

case "${1:-}" in
  ensure) ensure ;;
  run)
    shift
    ensure >/dev/null
    opts=()
    if [ "${1:-}" = -n ]; then opts+=(-n); shift; fi
    while [ "${1:-}" = -b ]; do opts+=(-b "${2%%:*}" "${2#*:}"); shift 2; done
    in_root "${opts[@]}" "$@"
    ;;
  *) echo "usage: $0 ensure | run [-n] [-b SRC:DST]... CMD [ARG...]" >&2; exit 2 ;;
esac
