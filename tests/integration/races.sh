#!/usr/bin/env bash
# Concurrency against one profiles.nix and one host:
#  A. 32 concurrent `register`s with distinct names and 8 with one same name: every profile
#     unique (ipAddress, tapId, mac, vsockCid) and evaluated by real Nix; the same-name runs
#     give exactly one registration and 7 refusals (exit 1, "already exists"; nothing changed).
#  B. 4 concurrent create-and-enter runs (`microvm-here -- true` in 4 fresh repositories) on a
#     private systemd, sharing the rebuild lock: all enter, all unique, and a run that waited
#     for another's rebuild skips its own when that one installed its VM (fake-rebuild.sh, like
#     `just switch`, installs every profile). Prints the rebuild count (asserted < 4).
#  C. 2 concurrent create-and-enter runs in one fresh repository: both enter, one registers.
# labels: root sshd nix
# timeout: 300
set -euo pipefail
source "$MVH_SOURCE_DIR/tests/lib/assert.sh"
source "$MVH_SOURCE_DIR/tests/harness/lib.sh"
mvh_require_private_systemd
command -v nix-instantiate >/dev/null || skip "nix-instantiate is not installed"
mvh_new_test_dir races
mvh_boot
source "$MVH_SOURCE_DIR/tests/harness/sandbox.sh"
mvh_sandbox 128 127.83.6
t=$MVH_TEST_DIR

# ---- A. register races (own nixfiles on 127.83.6.0/26, with vsock CIDs) ----
a=$t/racefiles
mkdir -p "$a" "$t/race-out"
cat >"$a/profiles.nix" <<'EOS'
{ }:

{
  # an existing VM with a vsock CID, so new ones get one too
  old = {
    ipAddress = "127.83.6.2";
    tapId = "microvm1";
    mac = "02:00:00:00:00:02";
    vsockCid = 1002;
  };
}
EOS
git -C "$a" init -q && git -C "$a" add -A && git -C "$a" -c user.email=t@t -c user.name=t commit -qm init
printf 'nixfiles = "%s"\nprofiles = "profiles.nix"\nvm_home_dir = "home"\nsubnet = "127.83.6.0/26"\ngateway = "127.83.6.1"\n' \
  "$a" >"$t/race.toml"
race() { MICROVM_HERE_CONFIG=$t/race.toml "$MVH_BIN" register "$1" >"$t/race-out/$2.out" 2>"$t/race-out/$2.err"; }
pids=() names=()
for i in $(seq 1 32); do
  race "par$i" "par$i" &
  pids+=($!) names+=("par$i")
  if [ $((i % 4)) = 0 ]; then
    race same "same$((i / 4))" &
    pids+=($!) names+=("same$((i / 4))")
  fi
done
declare -A code
for k in "${!pids[@]}"; do
  set +e
  wait "${pids[$k]}"
  code[${names[$k]}]=$?
  set -e
done
distinct_fail=0
for i in $(seq 1 32); do [ "${code[par$i]}" = 0 ] || distinct_fail=$((distinct_fail + 1)); done
assert_eq "32 concurrent registers with distinct names all succeed" 0 "$distinct_fail"
json=$(nix_eval "$a/profiles.nix")
[ -n "$json" ] && ok "real Nix evaluates the result (--eval --strict)" || not_ok "real Nix evaluates the result (--eval --strict)"
same_ip=$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["same"]["ipAddress"])' "$json")
registered=0 refused=0 other=0 waited=0
for j in $(seq 1 8); do
  o=$(cat "$t/race-out/same$j.out")
  # a run that found the lock busy says so first: "waiting for pid N, which is editing FILE",
  # or "waiting for another microvm-here, ..." when the holder has not written its pid yet
  w=$(grep -cE "^microvm-here: waiting for (pid [0-9]+|another microvm-here), which is editing $a/profiles.nix\$" "$t/race-out/same$j.err" || true)
  waited=$((waited + w))
  e=$(grep -vE "^microvm-here: waiting for (pid [0-9]+|another microvm-here), which is editing " "$t/race-out/same$j.err" || true)
  if [ "${code[same$j]}" = 0 ] && [[ "$o" == "registered same in $a/profiles.nix"* ]] && [ -z "$e" ]; then
    registered=$((registered + 1))
  elif [ "${code[same$j]}" = 1 ] && [ -z "$o" ] && [ "$e" = "microvm-here: error: profile 'same' already exists in $a/profiles.nix (ipAddress $same_ip); nothing changed" ]; then
    refused=$((refused + 1))
  else
    other=$((other + 1))
    echo "same$j: exit ${code[same$j]}: $o $e"
  fi
done
echo "same name, 8 concurrent runs: $registered registered, $refused refused (exit 1, already exists), $other other; $waited waited for the lock"
assert_eq "exactly one of 8 same-name runs registers" 1 "$registered"
assert_eq "the other 7 say it already exists (exit 1)" 7 "$refused"
# Every value unique, every run reported what the file holds, every Home Manager file there.
check=$(python3 - "$json" "$t/race-out" "$a/home" <<'PY'
import json, os, re, sys
d = json.loads(sys.argv[1])
out = []
out.append("entries %d" % len(d))
for k in ("ipAddress", "tapId", "mac", "vsockCid"):
    vals = [str(v.get(k)).lower() for v in d.values()]
    out.append("%s unique %s" % (k, len(vals) == len(set(vals)) and "None" not in vals))
mismatch = 0
for f in os.listdir(sys.argv[2]):
    if not f.endswith(".out") or os.path.getsize(os.path.join(sys.argv[2], f)) == 0:
        continue
    text = open(os.path.join(sys.argv[2], f)).read()
    name = re.search(r"^registered (\S+) in", text).group(1)
    ip = re.search(r"ipAddress  (\S+)", text).group(1)
    cid = re.search(r"vsockCid   (\S+)", text).group(1)
    if d[name]["ipAddress"] != ip or str(d[name]["vsockCid"]) != cid:
        mismatch += 1
out.append("reported values differ from the file: %d" % mismatch)
missing = [n for n in d if n != "old" and not os.path.isfile(os.path.join(sys.argv[3], n, "default.nix"))]
out.append("missing Home Manager files: %d" % len(missing))
print("\n".join(out))
PY
)
assert_eq "profiles after the races" "entries 34
ipAddress unique True
tapId unique True
mac unique True
vsockCid unique True
reported values differ from the file: 0
missing Home Manager files: 0" "$check"

# ---- B. 4 concurrent create-and-enter runs sharing one rebuild lock ----
# A real rebuild takes minutes; one second is enough for the others to register meanwhile.
echo 1 >"$t/rebuild-sleep"
up_pids=()
for n in 1 2 3 4; do
  repo=$(new_repo "race$n")
  (cd "$repo" && mvh -- true >"$t/up$n.out" 2>"$t/up$n.err") &
  up_pids+=($!)
done
up_fail=0
for n in 1 2 3 4; do
  wait "${up_pids[$((n - 1))]}" || {
    up_fail=$((up_fail + 1))
    echo "race$n failed:"
    sed 's/^/    | /' "$t/up$n.err"
  }
done
assert_eq "all 4 concurrent create-and-enter runs enter their VM" 0 "$up_fail"
rebuilds=$(cat "$t/rebuild-count")
skipped=$(cat "$t"/up?.err | grep -c "; skipping ours" || true)
echo "rebuilds: $rebuilds for 4 concurrent create-and-enter runs ($skipped skipped theirs after waiting)"
[ "$rebuilds" -lt 4 ] && ok "fewer than 4 rebuilds ($rebuilds)" || not_ok "fewer than 4 rebuilds ($rebuilds)"
assert_eq "every run either rebuilt or skipped after another's rebuild" 4 "$((rebuilds + skipped))"
for n in 1 2 3 4; do
  assert_contains "race$n registered" "microvm-here: no profile for 'race$n' yet: registering it" "$(cat "$t/up$n.err")"
  assert_eq "race$n is running" active "$(on_host systemctl is-active "microvm@race$n.service" || true)"
done

# ---- C. 2 concurrent create-and-enter runs in one fresh repository (two terminals) ----
# Both find no profile: we hold the profiles lock until both wait for it. The one that gets it
# second must use the first one's profile, not fail.
repo=$(new_repo twin)
lock=$XDG_RUNTIME_DIR/microvm-here/locks/profiles-$(printf '%s' "$t/nixfiles/vms/profiles.nix" | sha256sum | cut -c1-16).lock
[ -f "$lock" ] && ok "the profiles lock is $lock" || not_ok "the profiles lock is $lock"
exec 9<>"$lock"
flock 9
(cd "$repo" && mvh -- true >"$t/twin1.out" 2>"$t/twin1.err") &
p1=$!
(cd "$repo" && mvh -- true >"$t/twin2.out" 2>"$t/twin2.err") &
p2=$!
both_wait() { [ "$(cat "$t"/twin?.err | grep -c ", which is editing $t/nixfiles/vms/profiles.nix\$")" = 2 ]; }
wait_until 30 both_wait && ok "both twins wait for the profiles lock" || not_ok "both twins wait for the profiles lock"
flock -u 9
exec 9<&-
twin_fail=0
wait "$p1" || twin_fail=$((twin_fail + 1))
wait "$p2" || twin_fail=$((twin_fail + 1))
[ "$twin_fail" = 0 ] || cat "$t"/twin?.err
assert_eq "both runs in one repository enter" 0 "$twin_fail"
twin_err=$(cat "$t"/twin?.err)
assert_eq "one of them registered twin" 1 "$(grep -c "^registered twin in $t/nixfiles/vms/profiles.nix\$" <<<"$twin_err" || true)"
assert_eq "the other found it registered meanwhile" 1 \
  "$(grep -c "^microvm-here: another microvm-here registered 'twin' meanwhile\$" <<<"$twin_err" || true)"
echo "same repository, 2 concurrent runs: both entered, $(($(cat "$t/rebuild-count") - rebuilds)) rebuild"
assert_eq "the twins share one rebuild" "$((rebuilds + 1))" "$(cat "$t/rebuild-count")"

json=$(nix_eval "$t/nixfiles/vms/profiles.nix")
uniq=$(python3 -c '
import json,sys
d=json.loads(sys.argv[1])
print(len(d), all(len({str(v[k]) for v in d.values()}) == len(d) for k in ("ipAddress","tapId","mac")))' "$json")
assert_eq "6 profiles, all values unique" "6 True" "$uniq"
finish
