#pragma once
// A unified diff of two texts that differ in one place (what our edits produce), for --dry-run.
#include <string>
#include <string_view>

namespace mvh {

// "--- path\n+++ path (new)\n@@ -a,b +c,d @@\n" and the changed lines with 3 lines of context;
// empty when the texts are equal. Texts differing in several places get one enclosing hunk.
std::string unified_diff(std::string_view before, std::string_view after, std::string_view path);

}  // namespace mvh
