#include <doctest/doctest.h>

#include <cmath>

#include "reports/HtmlText.hpp"

using namespace twin::reports;

TEST_CASE("escape_html escapes the five characters that can break out of text or attributes") {
  CHECK(escape_html("<script>alert('x') & \"y\"</script>") ==
        "&lt;script&gt;alert(&#39;x&#39;) &amp; &quot;y&quot;&lt;/script&gt;");
  CHECK(escape_html("plain \u00d7 text") == "plain \u00d7 text");
}

TEST_CASE("format_number: 3 significant digits, trailing zeros dropped, fixed forms for large and tiny") {
  CHECK(format_number(28.2727) == "28.3");
  CHECK(format_number(4.0) == "4");
  CHECK(format_number(0.166667) == "0.167");
  CHECK(format_number(9.996) == "10");
  CHECK(format_number(-0.5) == "-0.5");
  CHECK(format_number(709.955) == "710");
  CHECK(format_number(2708.94) == "2709");
  CHECK(format_number(60480) == "60\u2009480");  // thin-space thousands from 10 000 on
  CHECK(format_number(0.000139) == "0.000139");
  CHECK(format_number(1.3872e-06) == "1.39e-06");
  CHECK(format_number(0) == "0");
  CHECK(format_number(NAN) == "n/a");
  CHECK(format_number(INFINITY) == "n/a");
  CHECK(format_number(3.14159, 5) == "3.1416");
  CHECK(format_percent(0.761018) == "76.1 %");
  CHECK(format_coord(-0.01) == "0.0");
}

TEST_CASE("json_at returns null for a missing or mistyped step, and the value otherwise") {
  const auto j = nlohmann::ordered_json::parse(R"({"a": {"b": [1, 2], "c": 3.5}})");
  CHECK(json_number(json_at(j, {"a", "c"})) == 3.5);
  CHECK(json_at(j, {"a", "x"}).is_null());
  CHECK(json_at(j, {"a", "c", "d"}).is_null());
  CHECK(std::isnan(json_number(json_at(j, {"a", "b"}))));
  CHECK(json_string(json_at(j, {"a"}), "none") == "none");
}

TEST_CASE("report_modes puts closed_loop first and baseline second") {
  const auto j = nlohmann::ordered_json::parse(R"({"scenario": {"modes": ["baseline", "what_if", "closed_loop"]}})");
  CHECK(report_modes(j) == std::vector<std::string>{"closed_loop", "baseline", "what_if"});
  CHECK(human_name("closed_loop") == "closed loop");
}
