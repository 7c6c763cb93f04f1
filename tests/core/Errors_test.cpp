#include <doctest/doctest.h>

#include "twin/core/Errors.hpp"

using namespace twin::core;

TEST_CASE("JSON pointer tokens are escaped as RFC 6901 says, and diagnostics name file and pointer") {
  CHECK(escape_pointer_token("plain") == "plain");
  CHECK(escape_pointer_token("a/b") == "a~1b");
  CHECK(escape_pointer_token("~x/") == "~0x~1");
  CHECK(Diagnostic{"s.json", "/hpc/" + escape_pointer_token("a/b"), "bad"}.str() == "s.json:/hpc/a~1b: bad");
  CHECK(Diagnostic{"s.json", "", "not JSON"}.str() == "s.json:/: not JSON");
}
