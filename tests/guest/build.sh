#!/bin/bash
# Builds the tiny real guest used by the integration tests: Debian's cloud kernel (extracted, never
# installed), a busybox+dropbear initramfs with pinned host and client keys, and a variant whose
# /init exits at once (kernel panic). Everything lands in the cache directory, never in the tree.
#
# Usage: build.sh [--force]
# Prints the cache directory on stdout (diagnostics go to stderr). Exit 77 when the guest cannot be
# built on this machine (no Debian mirror, missing tool), so callers can skip.
#
# The build is idempotent and serialised with flock: when the cache holds a complete build made by
# this exact build.sh (sha256 stamp), it returns at once without touching apt.
set -euo pipefail

# systemd starts system services without $HOME: fall back to the passwd entry.
home=${HOME:-$(getent passwd "$(id -u)" | cut -d: -f6)}
cache=${MVH_GUEST_CACHE:-${XDG_CACHE_HOME:-$home/.cache}/microvm-here/guest}
self=$(readlink -f "${BASH_SOURCE[0]}")
force=0
for arg in "$@"; do
  case $arg in
    --force) force=1 ;;
    *) echo "build.sh: unknown argument '$arg' (usage: build.sh [--force])" >&2; exit 2 ;;
  esac
done

say() { echo "build.sh: $*" >&2; }
cannot() { echo "cannot build the test guest: $*" >&2; exit 77; }

outputs=(vmlinux initramfs.gz initramfs-panic.gz client_key client_key.pub host_key.pub manifest)

mkdir -p "$cache" || cannot "cannot create cache directory $cache"
exec 9>"$cache/lock"
flock -w 900 9 || cannot "timed out waiting for the build lock $cache/lock"

hash=$(sha256sum "$self" | cut -d' ' -f1)
complete() {
  local f
  for f in "${outputs[@]}"; do [[ -s $cache/current/$f ]] || return 1; done
  grep -qx "build_sh_sha256=$hash" "$cache/current/manifest"
}
if [[ $force == 0 ]] && complete; then
  echo "$cache/current"
  exit 0
fi

# --- tools -------------------------------------------------------------------------------------
need() { # need COMMAND PACKAGE
  command -v "$1" >/dev/null 2>&1 || cannot "'$1' is missing (apt-get install $2)"
}
need apt-get apt
need dpkg-deb dpkg
need cpio cpio
need gzip gzip
need flock util-linux
need dropbearkey dropbear-bin
need ssh-keygen openssh-client
busybox=/bin/busybox
if [[ ! -x $busybox || $(ldd "$busybox" 2>&1 || true) != *"not a dynamic executable"* ]]; then
  cannot "$busybox is missing or not static (apt-get install busybox-static)"
fi
dropbear=$(command -v dropbear || true)
[[ -z $dropbear ]] && [[ -x /usr/sbin/dropbear ]] && dropbear=/usr/sbin/dropbear
[[ -n $dropbear ]] || cannot "dropbear is missing (apt-get install dropbear-bin)"

work=$(mktemp -d "$cache/build.XXXXXX")
trap 'rm -rf "$work"' EXIT

# --- kernel package ----------------------------------------------------------------------------
# Prefer what the linux-image-cloud-amd64 metapackage points at, if it is a 6.1 kernel; otherwise
# the newest linux-image-6.1.*-cloud-amd64 with a candidate. Both are local apt queries.
pick_kernel_package() {
  local p
  if [[ -n ${MVH_GUEST_KERNEL_PACKAGE:-} ]]; then
    echo "$MVH_GUEST_KERNEL_PACKAGE"
    return
  fi
  p=$(apt-cache depends linux-image-cloud-amd64 2>/dev/null |
    sed -n 's/^ *Depends: \(linux-image-6\.1\.[0-9]*-[0-9]*-cloud-amd64\)$/\1/p' | head -n1)
  if [[ -n $p ]]; then
    echo "$p"
    return
  fi
  for p in $(apt-cache pkgnames linux-image-6.1. 2>/dev/null |
    grep -E '^linux-image-6\.1\.[0-9]+-[0-9]+-cloud-amd64$' | sort -rV); do
    if apt-cache policy "$p" 2>/dev/null | grep -q 'Candidate: [0-9]'; then
      echo "$p"
      return
    fi
  done
}
pkg=$(pick_kernel_package)
[[ -n $pkg ]] || cannot "no linux-image-6.1.*-cloud-amd64 package is known to apt (run apt-get update)"
mkdir -p "$cache/debs"
cached_deb() { find "$cache/debs" -name "${pkg}_*.deb" | sort -V | tail -n1; }
deb=$(cached_deb)
if [[ -z $deb ]]; then
  say "downloading $pkg"
  if ! (cd "$work" && apt-get download -q "$pkg" >"$work/apt.log" 2>&1); then
    sed 's/^/  /' "$work/apt.log" >&2
    cannot "apt-get download $pkg failed (no reachable Debian mirror?)"
  fi
  mv "$work/${pkg}"_*.deb "$cache/debs/"
  deb=$(cached_deb)
fi
# Older kernels' packages are only dead weight once a newer one is picked.
find "$cache/debs" -name '*.deb' ! -path "$deb" -delete
pkg_version=$(dpkg-deb -f "$deb" Version)
dpkg-deb -x "$deb" "$work/kpkg" || cannot "dpkg-deb -x $deb failed (corrupt download? delete it)"
moddir=$(find "$work/kpkg/lib/modules" -mindepth 1 -maxdepth 1 -type d | head -n1)
release=$(basename "$moddir")
[[ $pkg == "linux-image-$release" ]] ||
  cannot "package $pkg holds kernel release '$release', expected '${pkg#linux-image-}'"

# --- vmlinux: the uncompressed ELF inside vmlinuz (same idea as the kernel's extract-vmlinux) --
is_elf() { [[ $(head -c4 "$1" | od -An -tx1 | tr -d ' \n') == 7f454c46 ]]; }
extract_vmlinux() { # extract_vmlinux VMLINUZ OUT -> prints the compression that worked
  local img=$1 out=$2 name magic tool pos
  local -a formats=(
    'gzip|\x1f\x8b\x08|gzip -dc'
    'xz|\xfd\x37\x7a\x58\x5a\x00|xz -dc'
    'zstd|\x28\xb5\x2f\xfd|zstd -dcq'
    'lz4|\x02\x21\x4c\x18|lz4 -dcq'
    'bzip2|BZh|bzip2 -dc'
    'lzma|\x5d\x00\x00\x00|xz -dc --format=lzma'
    'lzo|\x89\x4c\x5a|lzop -dc'
  )
  for entry in "${formats[@]}"; do
    IFS='|' read -r name magic tool <<<"$entry"
    command -v "${tool%% *}" >/dev/null 2>&1 || continue
    for pos in $(LC_ALL=C grep -aboP "$magic" "$img" | cut -d: -f1 | head -n 8); do
      tail -c +$((pos + 1)) "$img" | $tool >"$out" 2>/dev/null || true
      if [[ -s $out ]] && is_elf "$out"; then
        echo "$name"
        return 0
      fi
    done
  done
  return 1
}
compression=$(extract_vmlinux "$work/kpkg/boot/vmlinuz-$release" "$work/vmlinux") ||
  cannot "found no compressed ELF kernel inside vmlinuz-$release (is lz4/xz/zstd installed?)"

# --- modules: virtio-mmio, virtio-net, virtio-rng and their dependencies, in load order --------
declare -A mod_path=()
while IFS= read -r f; do
  n=$(basename "$f")
  n=${n%%.ko*}
  mod_path[${n//-/_}]=$f
done < <(find "$moddir/kernel" -name '*.ko' -o -name '*.ko.xz' -o -name '*.ko.zst' -o -name '*.ko.gz')

mkdir -p "$work/mods"
plain_module() { # plain_module NAME -> path of an uncompressed copy under $work/mods
  local src=${mod_path[$1]:-} dst=$work/mods/$1.ko
  [[ -n $src ]] || cannot "kernel $release has no module '$1'"
  if [[ ! -e $dst ]]; then
    case $src in
      *.ko.xz) xz -dc "$src" >"$dst" ;;
      *.ko.zst) zstd -dcq "$src" >"$dst" ;;
      *.ko.gz) gzip -dc "$src" >"$dst" ;;
      *) cp "$src" "$dst" ;;
    esac
  fi
  echo "$dst"
}
declare -A mod_seen=()
mod_order=()
add_module() { # depth-first: dependencies before the module itself (what modules.dep would give)
  local name=$1 dep deps ko
  [[ -n ${mod_seen[$name]:-} ]] && return 0
  mod_seen[$name]=1
  ko=$(plain_module "$name") || exit 77
  deps=$(tr '\0' '\n' <"$ko" | sed -n 's/^depends=//p' | head -n1)
  for dep in ${deps//,/ }; do add_module "${dep//-/_}"; done
  mod_order+=("$name")
}
for m in virtio_mmio virtio_net virtio_rng; do add_module "$m"; done

# --- keys --------------------------------------------------------------------------------------
out=$work/out
mkdir -p "$out"
cp "$work/vmlinux" "$out/vmlinux"
dropbearkey -t ed25519 -f "$work/dropbear_ed25519_host_key" >"$work/hostkey.log" 2>&1 ||
  cannot "dropbearkey failed: $(cat "$work/hostkey.log")"
dropbearkey -y -f "$work/dropbear_ed25519_host_key" | awk '/^ssh-ed25519 /{print $1, $2}' \
  >"$out/host_key.pub"
[[ -s $out/host_key.pub ]] || cannot "could not read the public half of the dropbear host key"
ssh-keygen -q -t ed25519 -N '' -C mvh-test-client -f "$out/client_key"
chmod 600 "$out/client_key"

# --- initramfs ---------------------------------------------------------------------------------
# /dev/console must exist before /init runs (CONFIG_DEVTMPFS_MOUNT is off) and creating a device
# node needs root, so that entry is written as a tiny hand-made newc archive; the kernel unpacks
# concatenated archives in order.
newc_entry() { # newc_entry INODE NAME MODE_OCTAL RDEVMAJOR RDEVMINOR (no data)
  local name=$2 mode=$((8#$3)) namesize=$((${#2} + 1))
  printf '070701%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X' \
    "$1" "$mode" 0 0 1 0 0 0 0 "$4" "$5" "$namesize" 0
  printf '%s\0' "$name"
  # header (110 bytes) + name is padded to a multiple of 4
  local pad=$(((4 - (110 + namesize) % 4) % 4))
  head -c "$pad" /dev/zero
}
dev_archive() {
  newc_entry 900001 dev 040755 0 0
  newc_entry 900002 dev/console 020600 5 1
  newc_entry 900003 dev/null 020666 1 3
  newc_entry 0 TRAILER!!! 0 0 0
}
cpio_tree() { # cpio_tree DIR -> newc archive on stdout, everything owned by root
  (cd "$1" && find . -mindepth 1 -printf '%P\n' | LC_ALL=C sort |
    cpio -o -H newc -R 0:0 --quiet)
}
install_busybox() { # install_busybox ROOT
  local root=$1 applet
  mkdir -p "$root/bin" "$root/sbin" "$root/usr/bin" "$root/usr/sbin"
  cp "$busybox" "$root/bin/busybox"
  for applet in $("$busybox" --list-full); do
    [[ -e $root/$applet ]] || ln -s /bin/busybox "$root/$applet"
  done
}

root=$work/root
install_busybox "$root"
ln -s /bin/busybox "$root/init"
mkdir -p "$root"/{etc/init.d,etc/dropbear,proc,sys,run,tmp,var/log,root/.ssh,lib/modules,lib64}
chmod 1777 "$root/tmp"
chmod 700 "$root/root" "$root/root/.ssh"
cp "$out/client_key.pub" "$root/root/.ssh/authorized_keys"
chmod 600 "$root/root/.ssh/authorized_keys"
cp "$work/dropbear_ed25519_host_key" "$root/etc/dropbear/"
chmod 600 "$root/etc/dropbear/dropbear_ed25519_host_key"
cp "$dropbear" "$root/usr/sbin/dropbear"
for lib in $(ldd "$dropbear" | grep -o '/[^ ]*'); do
  mkdir -p "$root/$(dirname "$lib")"
  cp -L "$lib" "$root/$lib"
done
for m in "${mod_order[@]}"; do cp "$work/mods/$m.ko" "$root/lib/modules/"; done
printf '%s\n' "${mod_order[@]}" >"$root/lib/modules/load-order"

echo 'root:x:0:0:root:/root:/bin/sh' >"$root/etc/passwd"
echo 'root:x:0:' >"$root/etc/group"
echo 'root:*:19000:0:99999:7:::' >"$root/etc/shadow"
chmod 600 "$root/etc/shadow"
echo '/bin/sh' >"$root/etc/shells"

cat >"$root/etc/inittab" <<'EOF'
::sysinit:/etc/init.d/rcS
::respawn:/usr/sbin/dropbear -F -E -s -p 22 -P /run/dropbear.pid -r /etc/dropbear/dropbear_ed25519_host_key
::ctrlaltdel:/bin/poweroff -f
::shutdown:/bin/sync
EOF

# Kernel parameters read here (set by run-qemu.sh): mvh_ip=ADDR/LEN mvh_gw=ADDR mvh_hostname=NAME.
cat >"$root/etc/init.d/rcS" <<'EOF'
#!/bin/sh
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mkdir -p /dev/pts
mount -t devpts devpts /dev/pts
mount -t tmpfs tmpfs /run
for m in $(cat /lib/modules/load-order); do
  insmod /lib/modules/$m.ko || echo "mvh-guest: insmod $m failed"
done
ip=10.0.2.15/24 gw=10.0.2.2 name=mvh-guest
for kv in $(cat /proc/cmdline); do
  case $kv in
    mvh_ip=*) ip=${kv#mvh_ip=} ;;
    mvh_gw=*) gw=${kv#mvh_gw=} ;;
    mvh_hostname=*) name=${kv#mvh_hostname=} ;;
  esac
done
hostname "$name"
ip link set lo up
n=0
while [ ! -e /sys/class/net/eth0 ] && [ $n -lt 50 ]; do sleep 0.1; n=$((n + 1)); done
ip addr add "$ip" dev eth0 && ip link set eth0 up && ip route add default via "$gw" ||
  echo "mvh-guest: could not configure eth0"
echo "mvh-guest: $name up, eth0 $ip gw $gw, kernel $(uname -r)"
EOF
chmod 755 "$root/etc/init.d/rcS"

{ dev_archive; cpio_tree "$root"; } | gzip -6 >"$out/initramfs.gz"

# The panic variant: /init is a script that exits, so the kernel panics "Attempted to kill init".
proot=$work/panic-root
install_busybox "$proot"
cat >"$proot/init" <<'EOF'
#!/bin/sh
echo "mvh-guest: this /init exits on purpose (panic test)"
exit 1
EOF
chmod 755 "$proot/init"
{ dev_archive; cpio_tree "$proot"; } | gzip -6 >"$out/initramfs-panic.gz"

# --- manifest and atomic swap ------------------------------------------------------------------
cat >"$out/manifest" <<EOF
kernel_package=$pkg
kernel_package_version=$pkg_version
kernel_release=$release
kernel_compression=$compression
modules=${mod_order[*]}
busybox_version=$(dpkg-query -W -f '${Version}' busybox-static 2>/dev/null || echo unknown)
dropbear_version=$(dpkg-query -W -f '${Version}' dropbear-bin 2>/dev/null || echo unknown)
guest_ip=10.0.2.15/24
guest_gw=10.0.2.2
built_at=$(date -u +%Y-%m-%dT%H:%M:%SZ)
build_sh_sha256=$hash
EOF

rm -rf "$cache/previous"
[[ -d $cache/current ]] && mv "$cache/current" "$cache/previous"
mv "$out" "$cache/current"
rm -rf "$cache/previous"
say "built guest kernel $release ($pkg $pkg_version) in $cache/current"
echo "$cache/current"
