#include "models/CsvTable.hpp"

#include <charconv>
#include <cmath>
#include <cstdio>
#include <stdexcept>

namespace twin::models {
namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

std::vector<std::string_view> split_fields(std::string_view line) {
  std::vector<std::string_view> out;
  std::size_t start = 0;
  for (;;) {
    const std::size_t comma = line.find(',', start);
    if (comma == std::string_view::npos) {
      out.push_back(line.substr(start));
      return out;
    }
    out.push_back(line.substr(start, comma - start));
    start = comma + 1;
  }
}

std::string unquote(std::string_view s) {
  s = trim(s);
  if (s.size() >= 2 && s.front() == '"' && s.back() == '"') s = s.substr(1, s.size() - 2);
  return std::string(s);
}

std::string shown(std::string_view field) {
  constexpr std::size_t MAX_SHOWN = 40;
  std::string s(field.substr(0, MAX_SHOWN));
  if (field.size() > MAX_SHOWN) s += "...";
  return "'" + s + "'";
}

/// True when `text` holds bytes no text CSV has: NUL or another control
/// character than tab, line feed and carriage return. Such a file is said to be
/// binary; its bytes are never echoed into a message.
bool looks_binary(std::string_view text, std::size_t& offset) {
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7F) {
      offset = i;
      return true;
    }
  }
  return false;
}

}  // namespace

bool parse_csv_number(std::string_view field, double& value) {
  field = trim(field);
  if (!field.empty() && field.front() == '+') field.remove_prefix(1);
  if (field.empty()) return false;
  const char* first = field.data();
  const char* last = field.data() + field.size();
  const auto [ptr, ec] = std::from_chars(first, last, value, std::chars_format::general);
  return ec == std::errc() && ptr == last && std::isfinite(value);
}

CsvTable parse_csv_table(std::string_view text, const std::string& name) {
  static constexpr std::string_view BOM = "\xEF\xBB\xBF";
  if (text.substr(0, BOM.size()) == BOM) text.remove_prefix(BOM.size());

  std::size_t offset = 0;
  if (looks_binary(text, offset)) {
    char byte[8];
    std::snprintf(byte, sizeof byte, "0x%02X", static_cast<unsigned char>(text[offset]));
    throw std::invalid_argument(name + ": not a text CSV file (a binary byte " + byte + " at offset " +
                                std::to_string(offset) + ")");
  }
  CsvTable table;
  bool first_content_line = true;
  int line_number = 0;
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(pos, end - pos);
    pos = end + 1;
    ++line_number;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (trim(line).empty()) continue;

    const auto fields = split_fields(line);
    const std::string where = name + ":" + std::to_string(line_number) + ": ";
    if (first_content_line) {
      first_content_line = false;
      table.column_count = fields.size();
      bool all_numbers = true;
      double ignored = 0;
      for (auto f : fields) all_numbers = all_numbers && parse_csv_number(f, ignored);
      if (!all_numbers) {
        for (auto f : fields) table.header.push_back(unquote(f));
        continue;
      }
    }
    if (fields.size() != table.column_count) {
      throw std::invalid_argument(where + "expected " + std::to_string(table.column_count) +
                                  " comma-separated fields (as on the first line), got " +
                                  std::to_string(fields.size()));
    }
    std::vector<double> row(fields.size());
    for (std::size_t j = 0; j < fields.size(); ++j) {
      if (!parse_csv_number(fields[j], row[j])) {
        throw std::invalid_argument(where + "field " + std::to_string(j + 1) +
                                    " is not a finite number: " + shown(fields[j]));
      }
    }
    table.rows.push_back(std::move(row));
    table.line_numbers.push_back(line_number);
  }
  if (table.rows.empty()) throw std::invalid_argument(name + ": no data rows");
  return table;
}

}  // namespace twin::models
