#pragma once
// Runs a piece of our own code as another user, for root's sudo step: in a forked child that
// drops to the user's uid, gid and groups for good (setresuid), so that even a bug in what it
// parses (the user's config and profiles.nix) cannot take root back. Only the verdict crosses
// back: success, or the Error the code threw.
#include <sys/types.h>

#include <functional>
#include <vector>

namespace mvh {

struct UserIdentity {
  uid_t uid = 0;
  gid_t gid = 0;
  std::vector<gid_t> groups;
};

// Runs f as who in a child process and waits for it. Rethrows the Error f threw there (same exit
// code and message); throws Error(Exit::failure) when the child cannot drop its privileges, or
// dies (signal), naming the cause. f must not start programs or print; its results stay in the
// child, so use it for checks.
void run_as_user(const UserIdentity& who, const std::function<void()>& f);

}  // namespace mvh
