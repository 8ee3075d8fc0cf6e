// profiles_from_json: the fallback reader for files the native parser cannot read literally.
#include <nlohmann/json.hpp>

#include "core/error.hpp"
#include "core/profiles.hpp"

namespace mvh {

namespace {

[[noreturn]] void bad(std::string_view path, const std::string& why)
{
  throw Error(Exit::config, "cannot read the profiles of " + std::string(path) +
                                " from nix-instantiate: " + why + "; " + std::string(path) +
                                " must evaluate to an attribute set of profiles");
}

std::optional<std::string> string_field(const nlohmann::json& v, const std::string& name,
                                        const char* field, std::string_view path)
{
  auto it = v.find(field);
  if (it == v.end() || it->is_null()) return std::nullopt;
  if (!it->is_string()) bad(path, "'" + name + "." + field + "' is not a string");
  return it->get<std::string>();
}

}  // namespace

std::vector<ProfileEntry> profiles_from_json(std::string_view json, std::string_view path)
{
  nlohmann::json doc = nlohmann::json::parse(json, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) bad(path, "its output is not valid JSON");
  if (!doc.is_object())
    bad(path, "the value is a " + std::string(doc.type_name()) + ", not an attribute set");
  std::vector<ProfileEntry> out;
  for (const auto& [name, v] : doc.items()) {
    if (!v.is_object())
      bad(path, "'" + name + "' is a " + std::string(v.type_name()) + ", not an attribute set");
    ProfileEntry e;
    e.name = name;
    e.ip_address = string_field(v, name, "ipAddress", path);
    e.tap_id = string_field(v, name, "tapId", path);
    e.mac = string_field(v, name, "mac", path);
    if (auto it = v.find("vsockCid"); it != v.end()) {
      e.has_vsock_field = true;
      if (it->is_number_integer())
        e.vsock_cid = it->get<std::int64_t>();
      else if (!it->is_null())
        bad(path, "'" + name + ".vsockCid' is not an integer or null");
    }
    out.push_back(std::move(e));
  }
  return out;
}

}  // namespace mvh
