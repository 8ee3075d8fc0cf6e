#pragma once
// One sd-bus call's error and reply, owned, and readers for the property values units_dbus.cpp
// needs. Include only from src/sys/*.cpp (the systemd headers are private to mvh_sys).
#include <functional>
#include <string>

#include "sys/libsystemd.hpp"

namespace mvh {

// One sd_bus_error per call: a used error must be freed before it can be filled again.
class BusError {
 public:
  BusError() = default;
  BusError(const BusError&) = delete;
  BusError& operator=(const BusError&) = delete;
  ~BusError();
  sd_bus_error* get() { return &error_; }
  // True when the bus answered with the error called name.
  bool is(const char* name) const;
  // The bus's own text, or strerror(-r) when the failure happened before a reply.
  std::string text(int r) const;

 private:
  // All zero: what SD_BUS_ERROR_NULL spells as a C compound literal, which clang -Wpedantic
  // rejects in C++.
  sd_bus_error error_{};
};

// A reply message, unreferenced when it goes out of scope.
struct BusMessage {
  BusMessage() = default;
  BusMessage(const BusMessage&) = delete;
  BusMessage& operator=(const BusMessage&) = delete;
  ~BusMessage();
  sd_bus_message* m = nullptr;
};

// Reads an a{sv} reply, handing each property to on_property, which must consume the variant
// and return true, or return false to have it skipped. Returns a negative errno on a bad reply.
int read_properties(sd_bus_message* m,
                    const std::function<bool(const std::string&, sd_bus_message*)>& on_property);

// Reads a "v" holding "s" into out; false (out unchanged) when the variant holds something else.
bool read_string_property(sd_bus_message* m, std::string& out);

// Reads a "v" holding a 16-byte "ay" id into out as 32 hex digits (empty for any other size or
// an all-zero id); false when the variant holds something else.
bool read_id_property(sd_bus_message* m, std::string& out);

}  // namespace mvh
