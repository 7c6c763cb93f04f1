#pragma once
// Reads shipped data for the models tests (the kernels themselves do no I/O).
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>

namespace twin::models::test {

inline std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot open " + path);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

inline std::string shipped_data(const std::string& file) {
  return read_text(std::string(TWIN_SOURCE_DIR) + "/scenarios/data/" + file);
}

}  // namespace twin::models::test
