# Sourced by the sudo tests after lib.sh, mvh_boot and sandbox.sh's mvh_sandbox: an unprivileged
# user with a real sudo rule for the built binary's `__privileged` step, all inside the private
# systemd's mount namespace. /etc there is an overlay (upper layer on a tmpfs in its private
# /run): the test users, /etc/sudoers.d and /etc/microvm-here/config.toml exist only in that
# namespace and vanish with it, so the machine's own /etc is never written, even when the test
# is killed before its trap runs.
#   sudo_setup_etc                  the /etc overlay (once, after mvh_boot)
#   sudo_add_user NAME HOME         useradd --system inside (unless NAME exists), HOME
#                                   created and owned by NAME
#   sudo_uid NAME / sudo_gid NAME   numeric ids (usable from outside the namespace)
#   sudo_rule USER [DEFAULTS...]    /etc/sudoers.d/mvh-test: USER may run only
#                                   "$MVH_BIN __privileged *" as root without a password;
#                                   each DEFAULTS word becomes `Defaults:USER <word>`; visudo -cf;
#                                   $SUDO_TAGS (default "NOPASSWD:") are the rule's tags
#   sudo_system_config FILE         install FILE as /etc/microvm-here/config.toml (root 0644)
#   as_user USER CMD...             CMD as USER in the namespace, from $PWD, with a clean
#                                   environment: the sandbox's HOME and XDG dirs,
#                                   PATH=$MVH_TEST_DIR/bin:/usr/bin:/bin, and every NAME=VALUE
#                                   word of $SU_ENV
#   sudo_wrapper                    $MVH_TEST_DIR/bin/sudo: appends its argv (one line, %q) to
#                                   $MVH_TEST_DIR/sudo.log, then execs /usr/bin/sudo

sudo_setup_etc() {
  on_host sh -ec '
    mkdir -p /run/mvh-etc
    mount -t tmpfs -o mode=0755 tmpfs /run/mvh-etc
    mkdir /run/mvh-etc/upper /run/mvh-etc/work
    mount -t overlay overlay -o lowerdir=/etc,upperdir=/run/mvh-etc/upper,workdir=/run/mvh-etc/work /etc'
}

sudo_add_user() {
  local home=$2
  if ! on_host id -u "$1" >/dev/null 2>&1; then
    on_host useradd --system --home-dir "$home" --no-create-home --shell /bin/sh \
      --user-group "$1"
  fi
  mkdir -p "$home"
  chown "$(sudo_uid "$1"):$(sudo_gid "$1")" "$home"
}

sudo_uid() { on_host id -u "$1"; }
sudo_gid() { on_host id -g "$1"; }

sudo_rule() {
  local user=$1 f=$MVH_TEST_DIR/sudoers-rule d
  shift
  : >"$f"
  for d in "$@"; do printf 'Defaults:%s %s\n' "$user" "$d" >>"$f"; done
  printf '%s ALL=(root) %s %s __privileged *\n' "$user" "${SUDO_TAGS:-NOPASSWD:}" "$(realpath "$MVH_BIN")" >>"$f"
  on_host visudo -cqf "$f"
  on_host install -m 0440 -o root -g root "$f" /etc/sudoers.d/mvh-test
  on_host visudo -cq
}

sudo_system_config() {
  on_host install -D -m 0644 -o root -g root "$1" /etc/microvm-here/config.toml
}

as_user() {
  local user=$1
  shift
  # shellcheck disable=SC2086 # SU_ENV is a list of NAME=VALUE words
  nsenter -t "$MVH_SD_PID" -m -p --wd="$PWD" \
    setpriv --reuid="$(sudo_uid "$user")" --regid="$(sudo_gid "$user")" --init-groups \
    env -i HOME="$HOME" USER="$user" LOGNAME="$user" PATH="$MVH_TEST_DIR/bin:/usr/bin:/bin" \
    XDG_CONFIG_HOME="$XDG_CONFIG_HOME" XDG_STATE_HOME="$XDG_STATE_HOME" \
    XDG_RUNTIME_DIR="$XDG_RUNTIME_DIR" ${SU_ENV:-} "$@"
}

sudo_wrapper() {
  mkdir -p "$MVH_TEST_DIR/bin"
  : >"$MVH_TEST_DIR/sudo.log"
  chmod 666 "$MVH_TEST_DIR/sudo.log"
  cat >"$MVH_TEST_DIR/bin/sudo" <<'EOS'
#!/bin/bash
line=$(printf '%q ' "$@")
printf '%s\n' "${line% }" >>"$(dirname "$0")/../sudo.log"
exec /usr/bin/sudo "$@"
EOS
  chmod 755 "$MVH_TEST_DIR/bin/sudo"
}
