#pragma once
// "Did you mean" for misspelt keys, commands and options (pure).
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace mvh {

// The candidate closest to word by edit distance, when that distance is at most
// max(2, word.size() / 3); nullopt otherwise or when candidates is empty.
std::optional<std::string> did_you_mean(std::string_view word,
                                        std::span<const std::string_view> candidates);

}  // namespace mvh
