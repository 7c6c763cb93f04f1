#include "models/CsvTable.hpp"

#include <doctest/doctest.h>

#include <stdexcept>
#include <string>

using namespace twin::models;

namespace {
std::string error_of(const std::string& text) {
  try {
    (void)parse_csv_table(text, "t.csv");
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
  return "";
}
}  // namespace

TEST_CASE("CSV: header detected, BOM and CRLF stripped, no final newline") {
  const auto t = parse_csv_table("\xEF\xBB\xBF" "a,b,y\r\n1,2,3\r\n4,5e-1,-6", "t.csv");
  REQUIRE(t.header.size() == 3);
  CHECK(t.header[0] == "a");
  CHECK(t.header[2] == "y");
  REQUIRE(t.rows.size() == 2);
  CHECK(t.rows[1][1] == 0.5);
  CHECK(t.rows[1][2] == -6);
  CHECK(t.line_numbers[1] == 3);
  CHECK(t.column_count == 3);
}

TEST_CASE("CSV: a first line of numbers is data, blank lines are skipped") {
  const auto t = parse_csv_table("0.1,0.2,+3\n\n0.0,1,2\n\n", "t.csv");
  CHECK(t.header.empty());
  REQUIRE(t.rows.size() == 2);
  CHECK(t.rows[0][2] == 3);
  CHECK(t.line_numbers[1] == 3);
}

TEST_CASE("CSV: errors name the line and the problem") {
  CHECK(error_of("a,b\n1,2\n3\n") == "t.csv:3: expected 2 comma-separated fields (as on the first "
                                     "line), got 1");
  CHECK(error_of("a,b\n1,2\n3,x\n") == "t.csv:3: field 2 is not a finite number: 'x'");
  CHECK(error_of("1,2\n3,\n") == "t.csv:2: field 2 is not a finite number: ''");
  CHECK(error_of("1,2\n3,nan\n") == "t.csv:2: field 2 is not a finite number: 'nan'");
  CHECK(error_of("a,b\n") == "t.csv: no data rows");
  CHECK(error_of("") == "t.csv: no data rows");
  CHECK(error_of("1,2\n3,4 5\n") == "t.csv:2: field 2 is not a finite number: '4 5'");
}

TEST_CASE("CSV numbers are read exactly and locale-independently") {
  double v = 0;
  CHECK(parse_csv_number(" 0.39619299999999996 ", v));
  CHECK(v == 0.39619299999999996);
  CHECK(parse_csv_number("1e3", v));
  CHECK(v == 1000);
  CHECK_FALSE(parse_csv_number("1,5", v));
  CHECK_FALSE(parse_csv_number("inf", v));
  CHECK_FALSE(parse_csv_number("0x10", v));
}

TEST_CASE("CSV: a binary file is named as such, its bytes never echoed") {
  const std::string png = std::string("\x89PNG\r\n\x1a\n", 8) + std::string("\0\0\0\rIHDR", 8) + "rest";
  const std::string e = error_of(png);
  CHECK(e == "t.csv: not a text CSV file (a binary byte 0x1A at offset 6)");
  CHECK(e.find("PNG") == std::string::npos);
  CHECK(error_of(std::string("a,b\n1,\0", 7)) == "t.csv: not a text CSV file (a binary byte 0x00 at offset 6)");
  CHECK(error_of("a,b\n1,2\t\n") == "");  // tabs and CRLF are text
}
