#pragma once
// One parameter table per part of a scenario (a site, a link, an HPC system,
// a lab station, ...), in the spirit of the kernels' ParamDef tables and
// ns-3's attributes: each row is a scenario key with its unit (taken from the
// key's suffix), default, range, allowed values, type and a one-line doc, and
// the code that reads it straight into the part's own configuration type.
// The same rows drive the parser (through JsonCursor, so messages carry the
// JSON pointer), `twin models` and `twin schema`: a key is documented,
// defaulted and range-checked in exactly one place.
//
// Adding a key to a part is one row:
//   t.number("batch_timeout_min", &lab::StationConfig::batch_timeout_s,
//            {.def = 60, .min = 0, .max = 1e7}, "Batch mode: longest wait for a batch to fill.");
#include <functional>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "twin/JsonCursor.hpp"
#include "twin/core/Distribution.hpp"

// Rows name only the options they set ({.def = 1, .min = 0}); g++ 12 warns
// about every option left to its default in such designated initializers
// (g++ 14 no longer does), which is the point of the syntax.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"
#endif

namespace twin {

/// What the parser has read so far (sites, the lab being read, ...): defined
/// by the scenario tables; rows that check references look into it.
struct ParseContext;

/// The type of a key's value, as the schema and `twin models` state it.
enum class ParamType {
  NUMBER,
  INTEGER,
  BOOLEAN,
  STRING,
  CHOICE,          ///< a string among `choices`
  DISTRIBUTION,    ///< a number or {"lognormal": {...}}, ... (see core::Distribution)
  OBJECT,          ///< an object of a sub-table's keys
  OBJECT_ARRAY,    ///< an array of such objects
  STRING_LIST,     ///< an array of strings
  STRING_OR_LIST,  ///< a string, or a non-empty array of strings (a preference list)
  CUSTOM,          ///< anything else; the row gives its JSON Schema
};

/// A key's unit, from its suffix ("_min", "_gbps", ...): the word shown in
/// docs and the factor to SI (seconds, bytes, bytes/s, flop/s, watts). Keys
/// without a known suffix have unit "" and factor 1.
struct UnitSuffix {
  std::string unit;
  double factor = 1;
  bool divide = false;  ///< "_ms": value / 1000 (as the parser always did: bit for bit the same SI value)
  double si(double v) const { return divide ? v / factor : v * factor; }
  double from_si(double v) const { return divide ? v * factor : v / factor; }
  double to_si() const { return divide ? 1.0 / factor : factor; }
};
UnitSuffix unit_of_key(const std::string& key);

struct TableDoc;

/// Everything the schema and `twin models` say about one key.
struct ParamDoc {
  std::string key;
  ParamType type = ParamType::NUMBER;
  std::string unit;                      ///< from the key's suffix
  nlohmann::ordered_json default_value;  ///< in the key's unit; null when none or computed
  std::string default_text;              ///< a computed default in words ("the idle power")
  std::optional<double> min, max;        ///< inclusive, unless min_exclusive
  bool min_exclusive = false;
  std::vector<std::string> choices;
  bool required = false;
  std::string pattern;                   ///< strings: a regular expression they match
  std::size_t min_items = 0;             ///< arrays
  std::string doc;                       ///< one line
  std::shared_ptr<const TableDoc> table;  ///< OBJECT, OBJECT_ARRAY: the elements' keys
  nlohmann::ordered_json schema;          ///< CUSTOM: the value's JSON Schema (doc and default are added)
};

/// The documentation of one table: its keys in reading order.
struct TableDoc {
  std::string name;  ///< e.g. "lab.station": `twin models` lists it as "scenario.lab.station"
  std::string doc;
  std::vector<ParamDoc> params;
  const ParamDoc* find(const std::string& key) const;
};

/// A number as JSON, whole numbers as integers (10, not 10.0), as a person writes them.
nlohmann::ordered_json number_json(double v);
/// A distribution as scenario JSON in the key's unit: {"fixed": 10}, {"lognormal": {...}}.
nlohmann::ordered_json distribution_json(const core::Distribution& d);
/// A name at member `key` of `c` (required), checked against the name pattern (Table::NAME_PATTERN).
std::string read_name(const JsonCursor& c, const std::string& key = "name");
bool valid_name(const std::string& n);

/// Options of a number row. `def` is in the key's unit; without one an absent
/// key leaves the field as it is (or is an error when `required`).
struct NumberRow {
  std::optional<double> def;
  double min = -std::numeric_limits<double>::infinity();
  double max = std::numeric_limits<double>::infinity();
  bool min_exclusive = false;
  bool required = false;
  std::optional<double> to_si;  ///< overrides the suffix's factor (e.g. a clock offset kept in hours)
  std::string default_text;     ///< a default that is not a constant, in words (the field is set before)
};
struct IntegerRow {
  std::optional<long long> def;
  long long min = 0;
  long long max = 0;
  bool required = false;
};
struct StringRow {
  std::optional<std::string> def;
  bool required = false;
  std::string default_text;
};
struct DistributionRow {
  std::optional<core::Distribution> def;  ///< in SI units, like the field
  bool required = false;
  std::string default_text;
};
struct NestedRow {
  bool required = false;
  std::string missing;     ///< what a missing required key should be, in words ("an array of sites")
  std::size_t min_items = 0;
  std::string item;        ///< arrays: one element in words, for "expected at least one <item>"
  bool defaults_when_absent = false;  ///< objects: an absent key still fills the sub-table's defaults
};

/// Reads a JSON object's keys into a T. Rows are read in order; a `then`
/// hook runs after the row before it (a check across keys, a reference).
template <class T>
class Table {
 public:
  using Reader = std::function<void(const JsonCursor& obj, T& out, ParseContext& ctx)>;

  Table(std::string name, std::string doc) : doc_(std::make_shared<TableDoc>()) {
    doc_->name = std::move(name);
    doc_->doc = std::move(doc);
  }

  const TableDoc& doc() const { return *doc_; }
  std::shared_ptr<const TableDoc> doc_ptr() const { return doc_; }
  const std::vector<std::string>& keys() const { return keys_; }

  /// Reads `c` into `out`: unknown keys are errors (with "did you mean"),
  /// every row fills its field (given value or default). False when `c` is
  /// not an object (`out` untouched).
  bool read(const JsonCursor& c, T& out, ParseContext& ctx) const {
    if (!c.expect_object(keys_)) return false;
    for (const auto& r : readers_) r(c, out, ctx);
    return true;
  }

  /// A row in general: its documentation and its reader.
  Table& add(ParamDoc d, Reader r) {
    if (d.unit.empty()) d.unit = unit_of_key(d.key).unit;
    keys_.push_back(d.key);
    doc_->params.push_back(std::move(d));
    readers_.push_back(std::move(r));
    return *this;
  }
  /// A key that is accepted and documented but read by nobody ("description").
  Table& ignored(const std::string& key, std::string doc) {
    ParamDoc d = base(key, ParamType::STRING, std::move(doc), false);
    return add(std::move(d), [key](const JsonCursor& c, T&, ParseContext&) { (void)c.string_or(key, ""); });
  }
  /// A check run after the rows so far (present or absent).
  Table& then(Reader check) {
    readers_.push_back(std::move(check));
    return *this;
  }

  /// A number, converted to SI by the key's unit. `field` is a member
  /// pointer or a callable T& -> M& (for nested members).
  template <class F>
  Table& number(const std::string& key, F field, NumberRow o, std::string doc) {
    ParamDoc d = base(key, ParamType::NUMBER, std::move(doc), o.required);
    const UnitSuffix unit = o.to_si ? UnitSuffix{"", *o.to_si} : unit_of_key(key);
    if (o.def && !o.required) d.default_value = number_json(*o.def);  // a required key's `def` is only the value after an error
    d.default_text = o.default_text;
    d.min = o.min;
    d.max = o.max;
    d.min_exclusive = o.min_exclusive;
    return add(std::move(d), [key, field, o, unit](const JsonCursor& c, T& out, ParseContext&) {
      if (!c.has(key) && !o.def && !o.required) return;
      auto& m = std::invoke(field, out);
      const double fallback = o.def ? *o.def : unit.from_si(static_cast<double>(m));
      m = static_cast<std::remove_reference_t<decltype(m)>>(
          unit.si(c.number(key, fallback, o.required, o.min, o.max, o.min_exclusive)));
    });
  }

  template <class F>
  Table& integer(const std::string& key, F field, IntegerRow o, std::string doc) {
    ParamDoc d = base(key, ParamType::INTEGER, std::move(doc), o.required);
    if (o.def && !o.required) d.default_value = *o.def;
    d.min = static_cast<double>(o.min);
    d.max = static_cast<double>(o.max);
    return add(std::move(d), [key, field, o](const JsonCursor& c, T& out, ParseContext&) {
      if (!c.has(key) && !o.def && !o.required) return;
      auto& m = std::invoke(field, out);
      const long long fallback = o.def ? *o.def : static_cast<long long>(m);
      m = static_cast<std::remove_reference_t<decltype(m)>>(c.integer(key, fallback, o.required, o.min, o.max));
    });
  }

  template <class F>
  Table& boolean(const std::string& key, F field, bool def, std::string doc) {
    ParamDoc d = base(key, ParamType::BOOLEAN, std::move(doc), false);
    d.default_value = def;
    return add(std::move(d), [key, field, def](const JsonCursor& c, T& out, ParseContext&) {
      std::invoke(field, out) = c.boolean_or(key, def);
    });
  }

  template <class F>
  Table& string(const std::string& key, F field, StringRow o, std::string doc) {
    ParamDoc d = base(key, ParamType::STRING, std::move(doc), o.required);
    if (o.def && o.default_text.empty()) d.default_value = *o.def;
    d.default_text = o.default_text;
    return add(std::move(d), [key, field, o](const JsonCursor& c, T& out, ParseContext&) {
      if (!c.has(key) && !o.def && !o.required) return;
      auto& m = std::invoke(field, out);
      m = c.string(key, o.def ? *o.def : m, o.required);
    });
  }

  /// A name: 1-64 letters, digits, '-', '_' or '.'.
  template <class F>
  Table& name(const std::string& key, F field, bool required, std::string doc) {
    ParamDoc d = base(key, ParamType::STRING, std::move(doc), required);
    d.pattern = NAME_PATTERN;
    return add(std::move(d), [key, field, required](const JsonCursor& c, T& out, ParseContext&) {
      if (!required && !c.has(key)) return;
      std::invoke(field, out) = read_name(c, key);
    });
  }

  /// A string among `values`' names, stored as the value it maps to (an
  /// enum, a bool, or the string itself).
  template <class F, class E>
  Table& mapped_choice(const std::string& key, F field, std::vector<std::pair<std::string, E>> values, E def,
                       std::string doc) {
    ParamDoc d = base(key, ParamType::CHOICE, std::move(doc), false);
    std::vector<std::string> names;
    for (const auto& [n, v] : values) {
      names.push_back(n);
      if (v == def) d.default_value = n;
    }
    d.choices = names;
    const std::string def_name = d.default_value.get<std::string>();
    return add(std::move(d), [key, field, values, names, def_name](const JsonCursor& c, T& out, ParseContext&) {
      const std::string got = c.choice(key, names, def_name);
      for (const auto& [n, v] : values)
        if (n == got) std::invoke(field, out) = v;
    });
  }
  template <class F>
  Table& choice(const std::string& key, F field, const std::vector<std::string>& names, const std::string& def,
                std::string doc) {
    std::vector<std::pair<std::string, std::string>> values;
    for (const auto& n : names) values.emplace_back(n, n);
    return mapped_choice(key, field, values, def, std::move(doc));
  }

  /// A distribution, its values converted to SI by the key's unit.
  template <class F>
  Table& distribution(const std::string& key, F field, DistributionRow o, std::string doc) {
    ParamDoc d = base(key, ParamType::DISTRIBUTION, std::move(doc), o.required);
    const double to_si = unit_of_key(key).to_si();
    if (o.def && !o.required && o.default_text.empty()) d.default_value = distribution_json(o.def->scaled(1.0 / to_si));
    d.default_text = o.default_text;
    return add(std::move(d), [key, field, o, to_si](const JsonCursor& c, T& out, ParseContext&) {
      if (!c.has(key) && !o.def && !o.required) return;
      auto& m = std::invoke(field, out);
      using M = std::remove_reference_t<decltype(m)>;
      const core::Distribution fallback = o.def ? *o.def : core::Distribution::fixed(0);
      if constexpr (std::is_same_v<M, core::Distribution>) {
        m = c.distribution(key, fallback, o.required, to_si);
      } else {  // std::optional<core::Distribution>: only when given
        if (c.has(key)) m = c.distribution(key, fallback, o.required, to_si);
      }
    });
  }

  /// An object of `sub`'s keys, read into the field.
  template <class F, class S>
  Table& object(const std::string& key, F field, const Table<S>& sub, NestedRow o, std::string doc) {
    ParamDoc d = base(key, ParamType::OBJECT, std::move(doc), o.required);
    d.table = sub.doc_ptr();
    auto s = std::make_shared<const Table<S>>(sub);
    return add(std::move(d), [key, field, s, o](const JsonCursor& c, T& out, ParseContext& ctx) {
      auto& m = std::invoke(field, out);
      if (c.has(key)) {
        s->read(c[key], m, ctx);
      } else if (o.required) {
        c.error("missing required key '" + key + "' (" + o.missing + ")");
      } else if (o.defaults_when_absent) {
        static const nlohmann::json empty = nlohmann::json::object();
        s->read(JsonCursor(empty, c.file(), c.sink()), m, ctx);
      }
    });
  }

  /// An array of objects of `sub`'s keys, appended to the field (a vector);
  /// an element that is not an object is reported and left out.
  template <class F, class S>
  Table& array(const std::string& key, F field, const Table<S>& sub, NestedRow o, std::string doc) {
    ParamDoc d = base(key, ParamType::OBJECT_ARRAY, std::move(doc), o.required);
    d.table = sub.doc_ptr();
    d.min_items = o.min_items;
    auto s = std::make_shared<const Table<S>>(sub);
    return add(std::move(d), [key, field, s, o](const JsonCursor& c, T& out, ParseContext& ctx) {
      if (!c.has(key)) {
        if (o.required) c.error("missing required key '" + key + "' (" + o.missing + ")");
        return;
      }
      const JsonCursor arr = c[key];
      if (!arr.expect_array()) return;
      auto& v = std::invoke(field, out);
      for (std::size_t i = 0; i < arr.size(); ++i) {
        S item{};
        if (s->read(arr[i], item, ctx)) v.push_back(std::move(item));
      }
      if (v.size() < o.min_items) arr.error("expected at least one " + o.item);
    });
  }

  /// Strings into a std::vector<std::string>: an array of them, or (with
  /// `or_single`) also one string alone, which reads as a list of one.
  template <class F>
  Table& strings(const std::string& key, F field, bool or_single, NestedRow o, std::string doc) {
    ParamDoc d = base(key, or_single ? ParamType::STRING_OR_LIST : ParamType::STRING_LIST, std::move(doc), o.required);
    d.min_items = o.min_items;
    return add(std::move(d), [key, field, or_single, o](const JsonCursor& c, T& out, ParseContext&) {
      if (!c.has(key)) {
        if (o.required) c.error("missing required key '" + key + "' (" + o.missing + ")");
        return;
      }
      auto& v = std::invoke(field, out);
      v.clear();
      const JsonCursor x = c[key];
      if (or_single && x.value().is_string()) {
        v.push_back(x.value().template get<std::string>());
        return;
      }
      if (!x.is_array()) {
        x.error(std::string("expected ") + (or_single ? "a string or " : "") + "an array of strings, got " +
                json_type_words(x.value()));
        return;
      }
      for (std::size_t i = 0; i < x.size(); ++i) {
        if (x[i].value().is_string()) v.push_back(x[i].value().template get<std::string>());
        else x[i].error("expected a string, got " + json_type_words(x[i].value()));
      }
      if (x.size() < o.min_items) x.error("expected at least one " + o.item);
    });
  }

  /// The rows of `sub` as rows of this table, read into the field (a member
  /// group such as the availability of a facility).
  template <class F, class S>
  Table& include(F field, const Table<S>& sub) {
    auto s = std::make_shared<const Table<S>>(sub);
    for (const auto& d : sub.doc().params) {
      keys_.push_back(d.key);
      doc_->params.push_back(d);
    }
    for (std::size_t i = 0; i < sub.readers_.size(); ++i)
      readers_.push_back(
          [s, i, field](const JsonCursor& c, T& out, ParseContext& ctx) { s->readers_[i](c, std::invoke(field, out), ctx); });
    return *this;
  }

  static constexpr const char* NAME_PATTERN = "^[A-Za-z0-9._-]{1,64}$";

 private:
  template <class>
  friend class Table;

  static ParamDoc base(const std::string& key, ParamType type, std::string doc, bool required) {
    ParamDoc d;
    d.key = key;
    d.type = type;
    d.doc = std::move(doc);
    d.required = required;
    return d;
  }

  std::shared_ptr<TableDoc> doc_;
  std::vector<std::string> keys_;
  std::vector<Reader> readers_;  ///< one per row (in doc order), hooks after the rows they follow
};


}  // namespace twin
