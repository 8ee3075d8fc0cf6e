#pragma once
// The one place that knows which Catch2 the tests build against. Debian 12 and nixpkgs' `catch2`
// are Catch2 2: one header, <catch2/catch.hpp>, main() generated where CATCH_CONFIG_MAIN is set.
// Debian 13 and nixpkgs' `catch2_3` are Catch2 3: one header per feature, main() in the library
// Catch2::Catch2WithMain. tests/CMakeLists.txt finds 3, else 2, and sets MVH_CATCH2_MAJOR.
// Test files include this header, never a Catch2 header, and spell matchers Catch::Matchers::X
// (both majors have that name).
#if !defined(MVH_CATCH2_MAJOR)
#error "MVH_CATCH2_MAJOR is not set: build the tests through tests/CMakeLists.txt"
#elif MVH_CATCH2_MAJOR >= 3
#include <catch2/catch_test_macros.hpp>
#include <catch2/generators/catch_generators.hpp>
#include <catch2/matchers/catch_matchers_string.hpp>
#else
#include <catch2/catch.hpp>
#endif
