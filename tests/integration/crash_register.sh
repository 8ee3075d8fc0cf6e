#!/usr/bin/env bash
# Crash safety of `register`: SIGKILL at random points (uniform between 0 and the time one
# register takes, measured first) against the HOST.md example file in a git repository. After
# each kill profiles.nix is byte-identical to before or to the complete new version (from a
# clean register in a copy), the Home Manager file is absent or complete (and present whenever
# the profile is), no temp file is visible to Nix, and the next run succeeds (the lock is free).
# Only microvm-here is killed: children it started (nix-instantiate, git) end by themselves, as
# after an OOM kill. Prints "crash safety: N kills: B before, A after, D damaged".
# labels: nix
# timeout: 240
set -euo pipefail
source "$MVH_SOURCE_DIR/tests/lib/assert.sh"
command -v nix-instantiate >/dev/null || skip "nix-instantiate (Debian nix-bin) is not installed"
command -v setsid >/dev/null || skip "setsid (util-linux) is not installed"
runs=${MVH_CRASH_RUNS:-200}

t=$(scratch_dir crash_register)
trap 'rm -rf -- "$t"' EXIT
export HOME=$t/home XDG_RUNTIME_DIR=$t/run XDG_STATE_HOME=$t/state
mkdir -p "$HOME" "$XDG_RUNTIME_DIR"
chmod 700 "$XDG_RUNTIME_DIR"  # private, as systemd makes it (README "Threat model")
rel_profiles=hosts/framework/nixos/microvms/profiles.nix rel_home=hosts/microvms/crashvm
# new_nixfiles DIR: the example file, committed
new_nixfiles() {
  mkdir -p "$1/${rel_profiles%/*}"
  cp "$MVH_SOURCE_DIR/tests/data/host-profiles.nix" "$1/$rel_profiles"
  git -C "$1" init -q && git -C "$1" add -A && git -C "$1" -c user.email=t@t -c user.name=t commit -qm init
}
# reset DIR: back to the old profiles.nix without crashvm's files (git's intent-to-add entry
# for them may stay: adding it again is a no-op)
reset() {
  cp "$MVH_SOURCE_DIR/tests/data/host-profiles.nix" "$1/$rel_profiles"
  rm -rf -- "${1:?}/hosts/microvms"
}
now_ms() { local s; s=$EPOCHREALTIME; echo $((10#${s/./} / 1000)); }

# Leak checks cost a third of each short run here; the other tests keep them.
asan_options=${ASAN_OPTIONS:-}
export ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0

# The expected new version, and how long one register takes (the median of 3).
ref=$t/ref
new_nixfiles "$ref"
printf 'nixfiles = "%s"\n' "$ref" >"$t/ref.toml"
times=()
for i in 1 2 3; do
  reset "$ref"
  t0=$(now_ms)
  MICROVM_HERE_CONFIG=$t/ref.toml "$MVH_BIN" register crashvm >/dev/null
  times+=($(($(now_ms) - t0)))
done
took=$(printf '%s\n' "${times[@]}" | sort -n | sed -n 2p)
before_file=$MVH_SOURCE_DIR/tests/data/host-profiles.nix
after_file=$t/expected-profiles.nix home_file=$t/expected-home.nix
cp "$ref/$rel_profiles" "$after_file"
cp "$ref/$rel_home/default.nix" "$home_file"
if cmp -s "$before_file" "$after_file"; then not_ok "the clean register changes the file"; fi
echo "one register takes ${took} ms here; killing at 0..${took} ms"

nix=$t/nixfiles
new_nixfiles "$nix"
export MICROVM_HERE_CONFIG=$t/config.toml
printf 'nixfiles = "%s"\n' "$nix" >"$MICROVM_HERE_CONFIG"
profiles=$nix/$rel_profiles home=$nix/$rel_home/default.nix

shopt -s nullglob dotglob
n_before=0 n_after=0 n_damaged=0 n_killed=0 n_stale=0 n_recovered=0 temps_seen=0
damage() {
  n_damaged=$((n_damaged + 1))
  echo "damaged after a kill at ${delay_ms} ms: $1"
  [ "$n_damaged" -le 3 ] && cp "$profiles" "$t/damaged-$n_damaged.nix" 2>/dev/null || true
}
# check_dir DIR NAME: every file next to profiles.nix or the HM file that is not one of them must be
# a hidden temp file whose name does not end in .nix
check_dir() {
  local f base
  for f in "$1"/*; do
    base=${f##*/}
    [ "$base" = "$2" ] && continue
    if [[ "$base" =~ ^\..*\.mvh-[A-Za-z0-9]{6}$ ]]; then
      temps_seen=$((temps_seen + 1))
      rm -f -- "$f" # counted once; the sweep of old ones is checked at the end
    else
      damage "unexpected file $f"
    fi
  done
}
lock_free() {
  local l
  for l in "$XDG_RUNTIME_DIR"/microvm-here/locks/profiles-*.lock; do flock -n "$l" true || return 1; done
}
# Each run starts where the killed one before it left off (until one completes): so every run
# after a kill is a "next run", and one that completes proves the crash left nothing in its way.
start=$(now_ms)
state=after
for ((i = 1; i <= runs; i++)); do
  [ "$state" = after ] && reset "$nix"
  prev=$state
  delay_ms=$((RANDOM % (took + 1)))
  setsid "$MVH_BIN" register crashvm >/dev/null 2>&1 &
  pid=$!
  sleep "$((delay_ms / 1000)).$(printf '%03d' $((delay_ms % 1000)))"
  kill -KILL "$pid" 2>/dev/null || true
  set +e
  { wait "$pid"; } 2>/dev/null # no "Killed" line from bash
  rc=$?
  set -e
  [ "$rc" = 137 ] && n_killed=$((n_killed + 1))
  # its orphaned children (same session and group) finish by themselves (zombies waiting for
  # init to reap them are done)
  while kill -0 -- "-$pid" 2>/dev/null && ps -o stat= -g "$pid" | grep -q '^[^Z]'; do sleep 0.01; done

  state=damaged
  if cmp -s "$profiles" "$before_file"; then state=before; elif cmp -s "$profiles" "$after_file"; then state=after; fi
  if [ -e "$home" ] && ! cmp -s "$home" "$home_file"; then
    damage "incomplete Home Manager file $home"
  elif [ "$state" = after ] && [ ! -e "$home" ]; then
    damage "profile written before its Home Manager file"
  fi
  check_dir "${profiles%/*}" profiles.nix
  [ -d "${home%/*}" ] && check_dir "${home%/*}" default.nix
  lock_free || { n_stale=$((n_stale + 1)); echo "the profiles lock is still held after a kill at ${delay_ms} ms"; }
  case $state in
    before) n_before=$((n_before + 1)) ;;
    after)
      n_after=$((n_after + 1))
      [ "$prev" = before ] && n_recovered=$((n_recovered + 1))
      ;;
    *)
      damage "profiles.nix is neither the old nor the new version"
      state=after # start over from a clean file
      ;;
  esac
done
elapsed=$(($(now_ms) - start))

# the run after the last kill
set +e
timeout 20 "$MVH_BIN" register crashvm >"$t/next.out" 2>&1
rc=$?
set -e
if [ "$state" = after ]; then want=1; else want=0; fi
assert_eq "the run after the last kill ($state) exits $want" "$want" "$rc"
assert_eq "and leaves the new version" "$(cat "$after_file")" "$(cat "$profiles")"
assert_eq "and the complete Home Manager file" "$(cat "$home_file")" "$(cat "$home")"

echo "crash safety: $runs kills: $n_before before, $n_after after, $n_damaged damaged" \
  "($n_killed landed mid-run; $n_recovered runs completed right after a killed one;" \
  "$temps_seen hidden temp files seen; ${elapsed} ms)"
assert_eq "no kill leaves a damaged profiles.nix, Home Manager file or temp file" 0 "$n_damaged"
assert_eq "no kill leaves the lock held" 0 "$n_stale"
[ "$n_before" -gt 0 ] && ok "some kills landed before the write" || not_ok "some kills landed before the write"
[ "$n_recovered" -gt 0 ] && ok "runs after a kill complete the registration" || not_ok "runs after a kill complete the registration"
assert_eq "git still reads its index" 0 "$(git -C "$nix" status --porcelain >/dev/null 2>&1; echo $?)"

export ASAN_OPTIONS=$asan_options
# Temp files a killed writer left are removed by the next register once they are a minute old;
# a young one (maybe a live writer's) stays.
reset "$nix"
dir=${profiles%/*}
printf 'partial' >"$dir/.profiles.nix.mvh-Old123"
touch -d '2 minutes ago' "$dir/.profiles.nix.mvh-Old123"
printf 'partial' >"$dir/.profiles.nix.mvh-New456"
run_capture "$MVH_BIN" register crashvm
assert_eq "register after old leftovers" 0 "$rc"
[ ! -e "$dir/.profiles.nix.mvh-Old123" ] && ok "a stale temp file is removed" || not_ok "a stale temp file is removed"
[ -e "$dir/.profiles.nix.mvh-New456" ] && ok "a young temp file is kept" || not_ok "a young temp file is kept"
assert_eq "the result is the clean new version" "$(cat "$after_file")" "$(cat "$profiles")"
finish
