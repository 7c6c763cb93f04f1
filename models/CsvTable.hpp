#pragma once
// A numeric table read from CSV text (no file I/O: the caller hands over the
// bytes). Accepts an optional header line (detected: a first non-blank line
// whose fields are not all numbers), a UTF-8 byte-order mark, CRLF or LF line
// ends, blank lines, and a missing final newline. Every other line must hold
// the same number of finite numbers separated by commas. Not a general CSV
// reader: no quoted fields with embedded commas (header names may be quoted,
// the quotes are dropped), and a header made only of numbers reads as data.
#include <string>
#include <string_view>
#include <vector>

namespace twin::models {

struct CsvTable {
  std::vector<std::string> header;         ///< empty when the text has none
  std::vector<std::vector<double>> rows;   ///< data rows, file order
  std::vector<int> line_numbers;           ///< 1-based line of each row in the text
  std::size_t column_count = 0;
};

/// Parses `text`; `name` only labels error messages. Throws
/// std::invalid_argument naming the line on ragged rows, empty fields,
/// non-numbers and non-finite values, or when there is no data row.
CsvTable parse_csv_table(std::string_view text, const std::string& name);

/// Parses one CSV number: optional surrounding spaces, an optional leading
/// '+', then a decimal or scientific literal (locale-independent). Returns
/// false when the field is not a finite number.
bool parse_csv_number(std::string_view field, double& value);

}  // namespace twin::models
