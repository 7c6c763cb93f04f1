// reports_render_html REPORT_JSON OUT_HTML: renders a report.json to HTML.
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>

#include "reports/HtmlReport.hpp"

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: %s REPORT_JSON OUT_HTML\n", argv[0]);
    return 2;
  }
  std::ifstream in(argv[1], std::ios::binary);
  if (!in) {
    std::fprintf(stderr, "error: cannot read %s\n", argv[1]);
    return 2;
  }
  std::ostringstream text;
  text << in.rdbuf();
  const auto report = nlohmann::ordered_json::parse(text.str());
  std::ofstream out(argv[2], std::ios::binary);
  out << twin::reports::render_html_report(report);
  return out.good() ? 0 : 2;
}
