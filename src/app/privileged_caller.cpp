#include "app/privileged_caller.hpp"

#include <grp.h>
#include <pwd.h>

#include <cstdlib>
#include <optional>

#include "app/context.hpp"
#include "core/error.hpp"
#include "core/printable.hpp"
#include "sys/process_env.hpp"

namespace mvh {
namespace {

constexpr const char* k_how =
    "microvm-here runs this step itself through sudo; run microvm-here "
    "without __privileged";

// One statement of who called: where it comes from ("SUDO_UID") and the uid it names.
struct Claim {
  std::string source;
  uid_t uid;
};

std::optional<uid_t> parse_uid(const std::string& s)
{
  if (s.empty() || s.size() > 10 || s.find_first_not_of("0123456789") != std::string::npos)
    return std::nullopt;
  const unsigned long v = std::strtoul(s.c_str(), nullptr, 10);
  if (v >= static_cast<unsigned long>(static_cast<uid_t>(-1))) return std::nullopt;
  return static_cast<uid_t>(v);
}

std::string who(uid_t uid)
{
  const passwd* pw = ::getpwuid(uid);
  return "uid " + std::to_string(uid) + (pw ? " (" + printable(pw->pw_name) + ")" : "");
}

// How a source names the user: sudo and pkexec by uid, doas by name, --caller either way.
enum class Naming { uid, name, either };

Claim claim_of(const std::string& source, const std::string& value, Naming naming)
{
  if (naming != Naming::name)
    if (auto uid = parse_uid(value)) return {source, *uid};
  if (naming != Naming::uid && !value.empty())
    if (const passwd* pw = ::getpwnam(value.c_str())) return {source, pw->pw_uid};
  throw usage_error(source + " is '" + printable(value) + "', which " +
                    (naming == Naming::uid ? "is not a uid" : "names no user on this host") +
                    "; the privileged step acts only for a known caller (" + k_how + ")");
}

std::vector<Claim> claims(const Context& ctx)
{
  std::vector<Claim> all;
  if (ctx.args.has("caller"))
    all.push_back(claim_of("--caller", ctx.args.value("caller"), Naming::either));
  if (ctx.env.uid != 0) {
    // setuid: the kernel's real uid is the caller; the environment is entirely theirs.
    all.insert(all.begin(), Claim{"your real uid", static_cast<uid_t>(ctx.env.uid)});
    return all;
  }
  if (ctx.env.has("SUDO_UID"))
    all.push_back(claim_of("SUDO_UID", ctx.env.get("SUDO_UID"), Naming::uid));
  if (ctx.env.has("DOAS_USER"))
    all.push_back(claim_of("DOAS_USER", ctx.env.get("DOAS_USER"), Naming::name));
  if (ctx.env.has("PKEXEC_UID"))
    all.push_back(claim_of("PKEXEC_UID", ctx.env.get("PKEXEC_UID"), Naming::uid));
  // A parent that is not root is the caller's own process (sudo keeps the caller's real uid;
  // doas and pkexec exec us from the caller's process): it names the caller too, so a variable
  // the caller set (sudo's SETENV, doas's keepenv) cannot name someone else. A root parent
  // (a root shell, run0's service manager) may act for anyone.
  if (!all.empty())
    if (auto parent = parent_process(); parent && parent->real_uid != 0)
      all.push_back(Claim{"its parent process (" + printable(parent->name) + ")",
                          static_cast<uid_t>(parent->real_uid)});
  return all;
}

uid_t agreed_uid(const std::vector<Claim>& all)
{
  if (all.empty())
    throw usage_error(
        "__privileged does not know whom it acts for: none of SUDO_UID (set by sudo and "
        "run0), DOAS_USER (doas) or PKEXEC_UID (pkexec) is set and no --caller was given; " +
        std::string(k_how) + ", or as root name the user: --caller USER (--caller root for root)");
  for (const Claim& c : all)
    if (c.uid != all.front().uid)
      throw usage_error("__privileged was told of two callers: " + all.front().source + " says " +
                        who(all.front().uid) + ", " + c.source + " says " + who(c.uid) +
                        "; it acts for one user only (" + k_how + ")");
  return all.front().uid;
}

}  // namespace

Caller calling_user(const Context& ctx)
{
  Caller c;
  c.uid = agreed_uid(claims(ctx));
  const passwd* pw = ::getpwuid(c.uid);
  if (!pw)
    throw failure("the calling user (uid " + std::to_string(c.uid) +
                  ") has no passwd entry; "
                  "the privileged step acts only for known users");
  c.gid = pw->pw_gid;
  c.name = pw->pw_name;
  c.home = pw->pw_dir;
  int n = 64;
  c.groups.resize(static_cast<size_t>(n));
  while (::getgrouplist(pw->pw_name, c.gid, c.groups.data(), &n) < 0)
    c.groups.resize(static_cast<size_t>(n));
  c.groups.resize(static_cast<size_t>(n));
  return c;
}

}  // namespace mvh
