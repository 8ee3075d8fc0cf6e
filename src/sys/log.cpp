#include "sys/log.hpp"

#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

namespace mvh {
namespace {

std::shared_ptr<spdlog::logger>& logger()
{
  static std::shared_ptr<spdlog::logger> l;
  return l;
}

}  // namespace

void log_setup(int verbosity)
{
  if (verbosity <= 0 || logger()) return;
  auto l = spdlog::stderr_logger_st("microvm-here");
  l->set_pattern("microvm-here: [%l] %v");
  l->set_level(verbosity >= 2 ? spdlog::level::trace : spdlog::level::debug);
  logger() = l;
}

void log_debug(int level, std::string_view line)
{
  auto& l = logger();
  if (!l) return;
  l->log(level >= 2 ? spdlog::level::trace : spdlog::level::debug, "{}", line);
}

}  // namespace mvh
