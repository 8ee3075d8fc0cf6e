#pragma once
// "Did you mean" for mistyped keys, commands and values (pure).
#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace mvh {

// Levenshtein distance (insertions, deletions, substitutions of bytes); never fails.
std::size_t edit_distance(std::string_view a, std::string_view b);

// The candidate nearest to word, if its distance is at most max(2, word.size() / 3); the first
// one wins a tie. nullopt when none is that close or candidates is empty.
std::optional<std::string> did_you_mean(std::string_view word,
                                        std::span<const std::string_view> candidates);

}  // namespace mvh
