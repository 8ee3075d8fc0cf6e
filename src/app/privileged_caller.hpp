#pragma once
// Who the privileged step acts for (README "Privileges: the one sudo step", "Who called").
#include <sys/types.h>

#include <string>
#include <vector>

namespace mvh {

struct Context;

struct Caller {
  uid_t uid = 0;
  gid_t gid = 0;
  std::string name;
  std::string home;
  std::vector<gid_t> groups;
};

// The user the step acts for. With a real uid other than 0 (a setuid install) that uid, and
// nothing from the environment. As root: what the elevator that started us says — sudo and
// run0 set SUDO_UID, doas DOAS_USER, pkexec PKEXEC_UID — and --caller USER, which root gives to
// act for USER (root for root itself); all that are present must name the same user, and so
// must the parent process's real uid unless that is root. Throws
// Error(Exit::usage) when nothing names the caller, they disagree, or one is malformed, and
// Error(Exit::failure) for a user without a passwd entry.
Caller calling_user(const Context& ctx);

}  // namespace mvh
