// libFuzzer target for the profiles.nix parser and insert: any input either parses or throws
// mvh::Error with a "path:line:col:" message; an editable file takes a new entry (a bare name,
// then a name that needs quotes and escapes) with every other byte kept and parses again with
// exactly one more entry. Built with ASan+UBSan; libFuzzer's LeakSanitizer check is on.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "core/error.hpp"
#include "core/profiles.hpp"

namespace {

void check(bool ok, const char* what)
{
  if (!ok) {
    std::fprintf(stderr, "profiles_fuzz: check failed: %s\n", what);
    std::abort();
  }
}

bool same(const mvh::ProfileEntry& a, const mvh::ProfileEntry& b)
{
  return a.name == b.name && a.loc.line == b.loc.line && a.loc.col == b.loc.col &&
         a.ip_address == b.ip_address && a.tap_id == b.tap_id && a.mac == b.mac &&
         a.vsock_cid == b.vsock_cid && a.has_vsock_field == b.has_vsock_field;
}

// A name not in f, starting with base.
std::string unused_name(const mvh::ProfilesFile& f, const std::string& base)
{
  std::string name = base;
  for (int n = 1;; ++n) {
    bool taken = false;
    for (const mvh::ProfileEntry& e : f.entries) taken = taken || e.name == name;
    if (!taken) return name;
    name = base + std::to_string(n);
  }
}

// Inserts an entry named base (or base<N>) into text: the bytes around the splice are the old
// ones, and the result parses again with the old entries unchanged plus the new one.
void check_insert(std::string_view text, const mvh::ProfilesFile& f, const std::string& base)
{
  const std::string name = unused_name(f, base);
  const mvh::NewProfile p{name, "10.0.0.3", "microvm1", "02:00:00:00:00:02", 1003};
  const std::string out = mvh::insert_profile(text, f, p);

  const std::size_t off = f.insert_offset;
  check(out.size() > text.size(), "something was inserted");
  check(out.compare(0, off, text.substr(0, off)) == 0, "bytes before the insert kept");
  check(out.compare(out.size() - (text.size() - off), std::string::npos, text.substr(off)) == 0,
        "bytes after the insert kept");

  mvh::ProfilesFile g;
  try {
    g = mvh::parse_profiles(out, "fuzz.nix");
  } catch (const mvh::Error& e) {
    std::fprintf(stderr, "%s\n", e.what());
    check(false, "the result parses");
  }
  check(g.editable, "the result is editable");
  check(g.entries.size() == f.entries.size() + 1, "exactly one more entry");
  for (std::size_t i = 0; i < f.entries.size(); ++i)
    check(same(f.entries[i], g.entries[i]), "old entries unchanged");
  const mvh::ProfileEntry& added = g.entries.back();
  check(added.name == name && added.ip_address == p.ip_address && added.tap_id == p.tap_id &&
            added.mac == p.mac && added.vsock_cid == p.vsock_cid,
        "the new entry reads back");
  check(g.needs_eval == f.needs_eval, "needs_eval unchanged");
  // The style comes from the first line break; ours may become the first one, after a stray
  // '\r' the input had before the closing brace.
  if (text.find('\n') < off) check(g.newline == f.newline, "newline style unchanged");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  mvh::ProfilesFile f;
  try {
    f = mvh::parse_profiles(text, "fuzz.nix");
  } catch (const mvh::Error& e) {
    const std::string_view msg = e.what();
    check(e.code() == mvh::Exit::config, "syntax errors are config errors");
    check(msg.rfind("fuzz.nix:", 0) == 0, "syntax errors start with path:");
    check(msg.find('\n') != std::string_view::npos && msg.back() == '^', "caret line at the end");
    return 0;
  }
  if (!f.editable) return 0;
  check(f.insert_offset <= text.size(), "insert offset inside the text");

  check_insert(text, f, "fuzzvm");
  // A key Nix only takes quoted: every escape nix_string writes must read back as these bytes.
  check_insert(text, f, "fuzz \"vm\" ${x} $${y} \\ '' \n\r\t\xc3\xa9;}");
  return 0;
}
