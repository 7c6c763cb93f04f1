#pragma once
// Reads a JSON document while building the JSON pointer of where it is, so
// every scenario error names file, pointer and what was expected. Errors are
// collected, not thrown one at a time: `twin validate` reports all of them.
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "twin/core/Distribution.hpp"
#include "twin/core/Errors.hpp"

namespace twin {

/// Parses JSON text (comments allowed); a syntax error throws
/// core::ScenarioError naming `file` and where the parser stopped.
nlohmann::json parse_json_text(const std::string& text, const std::string& file);

class JsonCursor {
 public:
  /// A cursor on the root of `doc`, read from `file`; diagnostics go to `sink`.
  JsonCursor(const nlohmann::json& doc, std::string file, std::shared_ptr<std::vector<core::Diagnostic>> sink);

  const nlohmann::json& value() const { return *node_; }
  const std::string& pointer() const { return pointer_; }
  const std::string& file() const { return file_; }
  /// Where this cursor's diagnostics go (shared with the cursors it makes).
  const std::shared_ptr<std::vector<core::Diagnostic>>& sink() const { return sink_; }
  bool has(const std::string& key) const;
  bool is_object() const { return node_->is_object(); }
  bool is_array() const { return node_->is_array(); }
  std::size_t size() const { return node_->size(); }

  /// The member `key` (must exist: use has() first, or the *_or readers).
  JsonCursor operator[](const std::string& key) const;
  JsonCursor operator[](std::size_t index) const;

  /// Records an error at this cursor's pointer.
  void error(const std::string& message) const;
  /// Records an error at this cursor's member `key`.
  void error_at(const std::string& key, const std::string& message) const;

  /// Checks this is an object whose keys are all in `allowed` (reports each
  /// unknown key, with a "did you mean" when one allowed key is close).
  bool expect_object(const std::vector<std::string>& allowed) const;
  bool expect_array() const;

  // Readers of members. Required ones report a missing key; all report wrong
  // types and ranges, and return the fallback after an error so reading goes on.
  std::string string(const std::string& key, const std::string& fallback = "", bool required = true) const;
  std::string string_or(const std::string& key, const std::string& fallback) const {
    return string(key, fallback, false);
  }
  double number(const std::string& key, double fallback, bool required, double min, double max,
                bool min_exclusive = false) const;
  double number_or(const std::string& key, double fallback, double min, double max, bool min_exclusive = false) const {
    return number(key, fallback, false, min, max, min_exclusive);
  }
  long long integer(const std::string& key, long long fallback, bool required, long long min, long long max) const;
  long long integer_or(const std::string& key, long long fallback, long long min, long long max) const {
    return integer(key, fallback, false, min, max);
  }
  bool boolean_or(const std::string& key, bool fallback) const;
  /// A distribution object at member `key`, values scaled by `unit_to_si`;
  /// `fallback` when absent and not required. Values must be >= 0.
  core::Distribution distribution(const std::string& key, const core::Distribution& fallback, bool required,
                                  double unit_to_si) const;
  /// A string that must be one of `choices`.
  std::string choice(const std::string& key, const std::vector<std::string>& choices, const std::string& fallback,
                     bool required = false) const;

 private:
  JsonCursor(const nlohmann::json* node, std::string pointer, std::string file,
             std::shared_ptr<std::vector<core::Diagnostic>> sink);
  const nlohmann::json* node_;
  std::string pointer_;
  std::string file_;
  std::shared_ptr<std::vector<core::Diagnostic>> sink_;
};

/// Escapes one reference token of a JSON pointer (~ -> ~0, / -> ~1).
using core::escape_pointer_token;
/// The closest of `candidates` to `word` when it is close enough, else "".
std::string did_you_mean(const std::string& word, const std::vector<std::string>& candidates);
/// A JSON value's type in words ("a string", "an array", ...), for messages.
std::string json_type_words(const nlohmann::json& v);

}  // namespace twin
