// report.json as `twin compare` reads it (reports/Compare: load_report and
// check_report), then compared with a shipped report both ways, as text and
// as the HTML page. A document that passes check_report must compare
// without an exception.
#include <cstddef>
#include <cstdint>
#include <string>

#include "fuzz/FuzzSupport.hpp"
#include "reports/Compare.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace twin;
  static const nlohmann::ordered_json reference =
      reports::load_report(fuzz::source_dir() + "/tests/reports/data/single-lab.report.json");
  const std::string& path = fuzz::write_scratch("-report.json", data, size);
  nlohmann::ordered_json r;
  try {
    r = reports::load_report(path);
  } catch (const core::ScenarioError& e) {
    fuzz::check_error(e);
    return 0;
  }
  const nlohmann::ordered_json ab = reports::compare_reports(reference, r, "a", "b");
  const nlohmann::ordered_json ba = reports::compare_reports(r, reference, "b", "a");
  (void)reports::compare_text(ab, false);
  (void)reports::compare_text(ba, true);
  (void)reports::render_html_compare(ab, true);
  (void)ba.dump(2);  // `twin compare --json`
  (void)reports::compare_text(reports::compare_reports(r, r), false);
  return 0;
}
