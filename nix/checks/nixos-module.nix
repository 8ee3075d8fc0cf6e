# NixOS VM test of nixosModules.default with a real systemd and polkit: what members of the group
# may do without a password, and what they and others may not. Stand-in units replace
# microvm.nix's (the rule is about unit names, not what the units run).
{ self }:
{
  name = "microvm-here-nixos-module";

  nodes.machine =
    { pkgs, ... }:
    {
      imports = [ self.nixosModules.default ];

      programs.microvm-here = {
        enable = true;
        settings = {
          ssh_port = 2222;
          boot_timeout = 60;
        };
      };

      systemd.services."microvm@" = {
        description = "Stand-in MicroVM '%i'";
        serviceConfig.ExecStart = "${pkgs.coreutils}/bin/sleep infinity";
      };
      systemd.services.not-a-microvm = {
        serviceConfig.ExecStart = "${pkgs.coreutils}/bin/sleep infinity";
      };

      users.users = {
        alice = {
          isNormalUser = true;
          extraGroups = [ "microvm-here" ];
        };
        carol = {
          isNormalUser = true;
          extraGroups = [ "microvm-here" ];
        };
        bob.isNormalUser = true;
      };
    };

  testScript = ''
    def as_user(user, command):
        return f"su -l {user} -c '{command}'"

    def systemctl(user, args):
        return as_user(user, f"systemctl --no-ask-password {args}")

    def refused(user, command, reasons=("interactive authentication required",)):
        status, out = machine.execute(as_user(user, f"{command} 2>&1"))
        assert status != 0 and any(r in out.lower() for r in reasons), \
            f"{user}: {command}: expected a refusal ({reasons}), got status {status}: {out}"

    machine.wait_for_unit("multi-user.target")

    with subtest("a member starts, restarts and stops microvm@ units without a password"):
        machine.succeed(systemctl("alice", "start microvm@demo.service"))
        machine.succeed("systemctl is-active microvm@demo.service")
        machine.succeed(systemctl("alice", "restart microvm@demo.service"))
        machine.succeed(systemctl("alice", "stop microvm@demo.service"))
        machine.fail("systemctl is-active microvm@demo.service")

    with subtest("nothing else: other units, other verbs, transient units, non-members"):
        refused("alice", "systemctl --no-ask-password start not-a-microvm.service")
        machine.succeed("systemctl start microvm@demo.service")
        refused("alice", "systemctl --no-ask-password kill microvm@demo.service")
        # Refused by polkit, or by systemd because microvm@.service has a unit file.
        refused(
            "alice",
            "systemd-run --no-ask-password --unit=microvm@evil.service /run/current-system/sw/bin/true",
            ("interactive authentication required", "fragment file"),
        )
        refused("bob", "systemctl --no-ask-password stop microvm@demo.service")
        machine.succeed("systemctl is-active microvm@demo.service")
        # Instances that are no VM name: "." and ".." would run <state_dir>/./current/bin/microvm-run
        # and the state directory's parent's runner.
        for instance in (".", "..", "a.b", "-demo"):
            refused("alice", f"systemctl --no-ask-password start microvm@{instance}.service")

    with subtest("workspace links: members add their own, cannot touch others', others cannot add"):
        machine.succeed("test \"$(stat -c '%a %U %G' /var/lib/microvm-workspaces)\" = '1775 root microvm-here'")
        machine.succeed(as_user("alice", "ln -sfn /tmp /var/lib/microvm-workspaces/demo"))
        machine.succeed(as_user("alice", "ln -sfn /home/alice /var/lib/microvm-workspaces/demo"))
        machine.fail(as_user("carol", "rm -f /var/lib/microvm-workspaces/demo"))
        machine.fail(as_user("carol", "ln -sfn /tmp /var/lib/microvm-workspaces/demo"))
        machine.succeed("test \"$(readlink /var/lib/microvm-workspaces/demo)\" = /home/alice")
        machine.fail(as_user("bob", "ln -s /tmp /var/lib/microvm-workspaces/bobs"))

    with subtest("config file, shell hook, binary"):
        machine.succeed("grep -qx 'ssh_port = 2222' /etc/microvm-here/config.toml")
        machine.succeed("grep -qF 'share/microvm-here/microvm-here.bash' /etc/bashrc")
        machine.succeed(as_user("alice", "microvm-here --version"))
  '';
}
