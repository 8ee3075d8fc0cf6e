#include "sys/dbus_reply.hpp"

#include <cstddef>
#include <cstring>

namespace mvh {
namespace {

std::string hex_id(const void* data, std::size_t size)
{
  static const char digits[] = "0123456789abcdef";
  const auto* p = static_cast<const unsigned char*>(data);
  std::string out;
  bool all_zero = true;
  for (std::size_t i = 0; i < size; ++i) {
    out += digits[p[i] >> 4];
    out += digits[p[i] & 15];
    all_zero = all_zero && p[i] == 0;
  }
  return size == 16 && !all_zero ? out : std::string();
}

}  // namespace

BusError::~BusError()
{
  libsystemd().sd_bus_error_free(&error_);
}

bool BusError::is(const char* name) const
{
  return libsystemd().sd_bus_error_has_name(&error_, name) > 0;
}

std::string BusError::text(int r) const
{
  if (error_.message != nullptr) return error_.message;
  if (error_.name != nullptr) return error_.name;
  return std::strerror(-r);
}

BusMessage::~BusMessage()
{
  libsystemd().sd_bus_message_unref(m);
}

int read_properties(sd_bus_message* m,
                    const std::function<bool(const std::string&, sd_bus_message*)>& on_property)
{
  const LibSystemd& sd = libsystemd();
  int r = sd.sd_bus_message_enter_container(m, 'a', "{sv}");
  if (r < 0) return r;
  while ((r = sd.sd_bus_message_enter_container(m, 'e', "sv")) > 0) {
    const char* name = nullptr;
    if ((r = sd.sd_bus_message_read(m, "s", &name)) < 0) return r;
    if (!on_property(name, m) && (r = sd.sd_bus_message_skip(m, "v")) < 0) return r;
    if ((r = sd.sd_bus_message_exit_container(m)) < 0) return r;
  }
  if (r < 0) return r;
  return sd.sd_bus_message_exit_container(m);
}

bool read_string_property(sd_bus_message* m, std::string& out)
{
  const char* s = nullptr;
  if (libsystemd().sd_bus_message_read(m, "v", "s", &s) < 0) return false;
  out = s;
  return true;
}

bool read_id_property(sd_bus_message* m, std::string& out)
{
  const LibSystemd& sd = libsystemd();
  const void* p = nullptr;
  std::size_t n = 0;
  if (sd.sd_bus_message_enter_container(m, 'v', "ay") < 0) return false;
  if (sd.sd_bus_message_read_array(m, 'y', &p, &n) < 0) return false;
  out = hex_id(p, n);
  return sd.sd_bus_message_exit_container(m) >= 0;
}

}  // namespace mvh
