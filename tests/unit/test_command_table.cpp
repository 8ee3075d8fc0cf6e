// The one command table drives help, completion lists and the completion scripts: every
// visible command shows up in each, and the scripts keep no list of their own.
#include <cstdio>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "app/commands.hpp"
#include "app/context.hpp"
#include "catch_compat.hpp"

namespace {

std::string complete(const std::vector<std::string>& args)
{
  mvh::Context ctx;
  ctx.args.positionals = args;
  ctx.out = std::tmpfile();
  REQUIRE(ctx.out != nullptr);
  REQUIRE(mvh::cmd_complete(ctx) == 0);
  std::fflush(ctx.out);
  std::rewind(ctx.out);
  std::string text;
  char buf[4096];
  for (size_t n; (n = std::fread(buf, 1, sizeof buf, ctx.out)) > 0;) text.append(buf, n);
  std::fclose(ctx.out);
  return text;
}

std::string read_source(const std::string& rel)
{
  std::ifstream f(std::string(MVH_SOURCE_DIR) + "/" + rel);
  REQUIRE(f.good());
  std::stringstream s;
  s << f.rdbuf();
  return s.str();
}

std::vector<std::string> visible_commands()
{
  std::vector<std::string> names;
  for (const auto& c : mvh::commands())
    if (!c.hidden && !c.name.empty()) names.emplace_back(c.name);
  return names;
}

}  // namespace

TEST_CASE("every visible command is in --help and in `__complete commands`")
{
  const std::string help = mvh::render_help(mvh::commands());
  const std::string listed = complete({"commands"});
  for (const auto& c : mvh::commands()) {
    if (c.name.empty()) continue;
    const std::string line = std::string(c.name) + "\t" + std::string(c.summary) + "\n";
    if (c.hidden) {
      CHECK(help.find("microvm-here " + std::string(c.name)) == std::string::npos);
      CHECK(listed.find(std::string(c.name) + "\t") == std::string::npos);
    } else {
      INFO(c.name);
      CHECK(help.find("microvm-here " + std::string(c.name)) != std::string::npos);
      CHECK(listed.find(line) != std::string::npos);
    }
  }
}

TEST_CASE("__complete lists options, argument kinds and values from the table")
{
  CHECK(complete({"options", "list"}).rfind("--json\tprint JSON\n--names\t", 0) == 0);
  CHECK(complete({"argkind", "stop"}) == "profile\n");
  CHECK(complete({"argkind", "hook"}) == "shell\n");
  CHECK(complete({"argkind", "trust"}) == "dir\n");
  CHECK(complete({"maxargs", "doctor"}) == "0\n");
  CHECK(complete({"maxargs", "name"}) == "1\n");
  CHECK(complete({"needs-value", "logs"}) ==
        "--lines\tN\n-n\tN\n--config\tFILE\n--nixfiles\tDIR\n");
  CHECK(complete({"shells"}) == "zsh\nbash\nfish\n");
}

TEST_CASE("the completion scripts ask the binary instead of keeping lists")
{
  const auto names = visible_commands();
  for (const char* file : {"completions/_microvm-here", "completions/microvm-here.bash",
                           "completions/microvm-here.fish"}) {
    INFO(file);
    const std::string text = read_source(file);
    CHECK(text.find("__complete commands") != std::string::npos);
    CHECK(text.find("__complete options") != std::string::npos);
    CHECK(text.find("__complete argkind") != std::string::npos);
    CHECK(text.find("list --names") != std::string::npos);
    // No line names two commands: that would be a copy of the table.
    std::istringstream lines(text);
    for (std::string line; std::getline(lines, line);) {
      std::set<std::string> found;
      for (const auto& n : names)
        if (std::regex_search(line, std::regex("(^|[^-\\w])" + n + "([^-\\w]|$)"))) found.insert(n);
      INFO(line);
      CHECK(found.size() < 2);
    }
    // Nor option names beyond the one list --names they call.
    for (const char* opt : {"--json", "--no-rebuild", "--timeout", "--config", "--nixfiles"})
      CHECK(text.find(opt) == std::string::npos);
  }
}

TEST_CASE(
    "unregister completes profile names and --delete-home-file, and the default command "
    "takes --rebuild")
{
  CHECK(complete({"argkind", "unregister"}) == "profile\n");
  CHECK(complete({"maxargs", "unregister"}) == "1\n");
  CHECK(complete({"options", "unregister"})
            .rfind("--delete-home-file\talso delete its Home Manager file (the file only)\n", 0) ==
        0);
  CHECK(complete({"options"})
            .find("--rebuild\trun the rebuild command even when the VM is installed\n") !=
        std::string::npos);
}
