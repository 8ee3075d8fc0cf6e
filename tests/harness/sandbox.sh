# Sourced after lib.sh and mvh_new_test_dir/mvh_boot: a scratch nixfiles with a profiles.nix on
# the loopback subnet 127.83.0.0/24, a config for microvm-here, an ssh client config that trusts
# the stand-ins' host key, and `new_repo NAME` to make fresh git repositories.
#   mvh_sandbox BASE [NET]   subnet NET.BASE/26 (NET defaults to 127.83.0; there BASE is 128 or
#                      192, other tests use .0-.63; tests that run in parallel take their own
#                      NET such as 127.83.5), gateway .BASE+1, an existing profile "seed" at
#                      .BASE+2; new VMs get .BASE+3 upwards.
mvh_sandbox() {
  local t=$MVH_TEST_DIR base=${1:?BASE} net=${2:-127.83.0}
  local gw=$((base + 1)) start=$((base + 2))
  export HOME=$t/home XDG_RUNTIME_DIR=$t/run XDG_STATE_HOME=$t/state XDG_CONFIG_HOME=$t/xdg
  mkdir -p "$HOME/.ssh" "$XDG_RUNTIME_DIR" "$t/nixfiles/vms" "$t/workspaces" "$t/repos" "$t/behaviour"
  chmod 700 "$XDG_RUNTIME_DIR"  # private, as systemd makes it (README "Threat model")
  cat >"$t/nixfiles/vms/profiles.nix" <<EOS
{ }:

{
  # an existing VM, as users have them
  seed = {
    ipAddress = "$net.$start";
    tapId = "microvm1";
    mac = "02:00:00:00:00:02";
  };
}
EOS
  echo "$t/nixfiles/vms/profiles.nix" >"$t/profiles-path"
  git -C "$t/nixfiles" init -q
  git -C "$t/nixfiles" add -A
  git -C "$t/nixfiles" -c user.email=t@t -c user.name=t commit -qm init
  local key=$t/ssh/id_ed25519
  printf '127.83.*.* %s\n' "$(cut -d' ' -f1,2 "$t/ssh/host_ed25519_key.pub")" >"$t/ssh/known_hosts"
  cat >"$HOME/.ssh/config" <<EOS
Include $t/ssh_config.d/*.conf
Host microvm-*
  User root
  IdentityFile $key
  IdentitiesOnly yes
  UserKnownHostsFile $t/ssh/known_hosts
  GlobalKnownHostsFile /dev/null
  StrictHostKeyChecking yes
  BatchMode yes
  LogLevel ERROR
EOS
  export MICROVM_HERE_CONFIG=$t/config.toml
  cat >"$MICROVM_HERE_CONFIG" <<EOS
nixfiles = "$t/nixfiles"
profiles = "vms/profiles.nix"
vm_home_dir = "vms/home"
rebuild = ["$MVH_HARNESS/fake-rebuild.sh"]
subnet = "$net.$base/26"
gateway = "$net.$gw"
workspaces = "$t/workspaces"
state_dir = "$MVH_STATE_DIR"
ssh = ["ssh", "-F", "$HOME/.ssh/config"]
boot_timeout = 20
EOS
}

# new_repo NAME: a fresh git repository $MVH_TEST_DIR/repos/NAME; prints its path
new_repo() {
  local r=$MVH_TEST_DIR/repos/$1
  mkdir -p "$r"
  git -C "$r" init -q
  echo "$r"
}

# mvh [ARGS...]: microvm-here on the private host, from the current directory
# (setns into a mount namespace resets the working directory, so pass ours along.)
mvh() {
  nsenter -t "$MVH_SD_PID" -m -p --wd="$PWD" "$MVH_BIN" "$@"
}
