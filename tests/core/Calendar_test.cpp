#include <doctest/doctest.h>

#include "twin/core/Calendar.hpp"

using namespace twin::core;

TEST_CASE("civil dates and weekdays") {
  long d = 0;
  REQUIRE(parse_date("2026-01-05", d));
  CHECK(weekday_of(d) == 0);  // a Monday
  REQUIRE(parse_date("2025-11-24", d));
  CHECK(weekday_of(d) == 0);
  CHECK(parse_date("2024-02-29", d));
  CHECK_FALSE(parse_date("2025-02-29", d));
  CHECK_FALSE(parse_date("2025-13-01", d));
  CHECK_FALSE(parse_date("2025-1-1", d));
}

TEST_CASE("a Monday-to-Friday 08:00-17:00 shift in UTC-6") {
  long start = 0;
  REQUIRE(parse_date("2026-01-05", start));  // Monday
  Shift s(start, -6.0, {true, true, true, true, true, false, false}, 8 * 60, 17 * 60, {});
  const double h = 3600;
  // Monday 00:00 UTC is Sunday 18:00 local: nobody there.
  CHECK_FALSE(s.staffed_at(0));
  // First shift opens Monday 08:00 local = 14:00 UTC.
  CHECK(s.next_staffed(0) == doctest::Approx(14 * h));
  CHECK(s.staffed_at(14 * h));
  CHECK_FALSE(s.staffed_at(23 * h));  // 17:00 local: closed
  // Friday 17:00 local -> next Monday 08:00 local.
  const double fri_close = 4 * 86400 + 23 * h;
  CHECK(s.next_staffed(fri_close) == doctest::Approx(7 * 86400 + 14 * h));
  CHECK(s.staffed_seconds(0, 7 * 86400) == doctest::Approx(45 * h));
  CHECK(s.hours_per_week() == doctest::Approx(45));
}

TEST_CASE("holidays close a whole local day") {
  long start = 0;
  REQUIRE(parse_date("2026-01-05", start));
  Shift s(start, 0.0, {true, true, true, true, true, false, false}, 9 * 60, 17 * 60, {0});
  CHECK(s.next_staffed(0) == doctest::Approx(86400 + 9 * 3600));
}

TEST_CASE("24/7 is always staffed") {
  Shift s;
  CHECK(s.staffed_at(12345));
  CHECK(s.next_staffed(77) == 77);
}

TEST_CASE("civil_text is the inverse of parse_date, across leap days and centuries") {
  for (const char* d : {"1970-01-01", "2000-02-29", "2026-01-05", "2028-02-29", "2100-03-01", "1969-12-31"}) {
    long days = 0;
    REQUIRE(twin::core::parse_date(d, days));
    CHECK(twin::core::civil_text(days) == d);
  }
  CHECK(twin::core::civil_text(0) == "1970-01-01");
  long a = 0;
  REQUIRE(twin::core::parse_date("2026-01-05", a));
  CHECK(twin::core::civil_text(a + 365) == "2027-01-05");
  CHECK(twin::core::civil_text(a + 730) == "2028-01-05");
  CHECK(twin::core::civil_text(a + 1096) == "2029-01-05");  // 2028 is a leap year
}
