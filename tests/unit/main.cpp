// Catch2 2 generates main() in the file that sets CATCH_CONFIG_MAIN before its header; Catch2 3
// ignores the macro and takes main() from Catch2::Catch2WithMain (tests/CMakeLists.txt).
#define CATCH_CONFIG_MAIN
#include "catch_compat.hpp"
