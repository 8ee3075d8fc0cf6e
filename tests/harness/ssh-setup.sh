#!/bin/bash
# ssh-setup.sh TEST_DIR
# Creates, once per test directory, what the sshd stand-in and an ssh client need, in
# TEST_DIR/ssh: host_ed25519_key(.pub), client key id_ed25519(.pub), authorized_keys (the client
# key), sshd_config, and known_hosts lines are left to the test (the host key is known here).
set -euo pipefail
dir=$(realpath "${1:?usage: $0 TEST_DIR}")/ssh
mkdir -p "$dir"
[ -f "$dir/host_ed25519_key" ] || ssh-keygen -q -t ed25519 -N '' -C mvh-test-host -f "$dir/host_ed25519_key"
[ -f "$dir/id_ed25519" ] || ssh-keygen -q -t ed25519 -N '' -C mvh-test-client -f "$dir/id_ed25519"
cp "$dir/id_ed25519.pub" "$dir/authorized_keys"
cat >"$dir/sshd_config" <<EOS
# sshd for the stand-in VMs (tests/harness/standin-vm.sh); ListenAddress and HostKey come
# from its command line.
PermitRootLogin prohibit-password
PubkeyAuthentication yes
AuthorizedKeysFile $dir/authorized_keys
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
StrictModes no
PrintMotd no
Subsystem sftp /usr/lib/openssh/sftp-server
EOS
