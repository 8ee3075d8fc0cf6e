#!/usr/bin/env bash
# The Debian 13 build (ctest: trixie.build): GCC 14, Boost 1.88 and Catch2 3, the toolchain
# nixpkgs users build with. Builds this tree in the trixie chroot (Release, -Werror), checks that
# the binary loads no Boost shared object, runs the unit tests there, and leaves the binary in
# $MVH_BUILD_DIR/trixie for tests/trixie/integration.sh. Exit 77 when the chroot cannot be made.
#
# The binaries are linked with the chroot's dynamic loader and libc by their host paths (the
# chroot maps that path back to its /), so the same microvm-here also runs on the host, where
# the integration scripts have their real systemd, sshd and sudo.
set -euo pipefail
src=$MVH_SOURCE_DIR
out=$MVH_BUILD_DIR/trixie
rm -f "$out/.passed"
root=$(bash "$src/tests/trixie/chroot.sh" ensure) || exit $?
mkdir -p "$out"
lib=$root/usr/lib/x86_64-linux-gnu
# DT_RPATH, not DT_RUNPATH: it also applies to the libraries dlopen()ed libsystemd and libssh
# load in turn (libm, libcap, ...), which must come from the chroot's glibc too.
ldflags="-Wl,--dynamic-linker=$lib/ld-linux-x86-64.so.2 -Wl,-rpath,$lib -Wl,--disable-new-dtags"

# Release (-O3) as users build it: GCC's flow warnings (-Wdangling-reference, -Wstringop-*) differ
# from the Debug build's. ccache lives in the chroot, so a rebuild takes seconds.
echo "== build in Debian 13: $(bash "$src/tests/trixie/chroot.sh" run sh -c \
  'g++ --version | head -n1; dpkg-query -W -f="boost \${Version}, " libboost1.88-dev; \
   dpkg-query -W -f="catch2 \${Version}\n" catch2')"
bash "$src/tests/trixie/chroot.sh" run -n -b "$src:/src" -b "$out:/build" sh -c '
  set -e
  export CCACHE_DIR=/var/cache/ccache CCACHE_MAXSIZE=2G
  cmake -S /src -B /build -G Ninja -DCMAKE_BUILD_TYPE=Release -DMVH_WERROR=ON \
    -DCMAKE_C_COMPILER_LAUNCHER=ccache -DCMAKE_CXX_COMPILER_LAUNCHER=ccache \
    -DCMAKE_EXE_LINKER_FLAGS="$1" >/dev/null
  cmake --build /build
' sh "$ldflags"

# Boost.Filesystem is linked statically (CMakeLists.txt) and libstdc++ too: only libc is loaded.
needed=$(readelf -d "$out/microvm-here" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p' | sort | tr '\n' ' ')
echo "== microvm-here needs: $needed"
if [ "$needed" != "ld-linux-x86-64.so.2 libc.so.6 " ]; then
  echo "FAIL: the Debian 13 binary loads more than libc: $needed" >&2
  exit 1
fi

# The unit tests, in the chroot and in a private network namespace (they bind loopback ports).
echo "== unit tests in Debian 13"
bash "$src/tests/trixie/chroot.sh" run -n -b "$src:/src" -b "$out:/build" \
  sh -c 'cd /build && ctest -L unit -j2 --output-on-failure --timeout 300'
touch "$out/.passed"
