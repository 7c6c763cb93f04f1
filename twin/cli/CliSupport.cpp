#include "twin/cli/CliSupport.hpp"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <iterator>
#include <sstream>

#include <xbt/log.h>

#include "twin/JsonCursor.hpp"
#include "twin/Runner.hpp"

XBT_LOG_EXTERNAL_CATEGORY(root);  // SimGrid's root: every log category hangs below it

namespace twin::cli {

int guarded(const std::function<int()>& body, bool with_count) {
  using core::ExitCode;
  try {
    return body();
  } catch (const core::ScenarioError& e) {
    print_scenario_errors(e, with_count);
    return static_cast<int>(ExitCode::SCENARIO);
  } catch (const SimulationFailure& e) {
    std::fprintf(stderr, "error: %s\n", e.what());
    return static_cast<int>(ExitCode::SIMULATION);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "internal error: %s\n", e.what());
    return static_cast<int>(ExitCode::INTERNAL);
  }
}

namespace {

void category_names(const s_xbt_log_category_t* cat, std::vector<std::string>& out) {
  for (const s_xbt_log_category_t* c = cat; c != nullptr; c = c->nextSibling) {
    out.emplace_back(c->name);
    category_names(c->firstChild, out);
  }
}

/// "twin_lab" -> "twin.lab": how the twin's own categories are written on its command line.
std::string dotted(const std::string& xbt_name) {
  std::string s = xbt_name;
  std::replace(s.begin(), s.end(), '_', '.');
  return s;
}

bool is_prefix_of(const std::string& word, const char* full) {
  return !word.empty() && std::string(full).compare(0, word.size(), word) == 0;
}

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

/// One setting (no spaces) rewritten for XBT, or an error message.
std::string rewrite_log_setting(std::string& setting) {
  const std::size_t colon = setting.find_first_of(":=");
  const std::size_t dot = setting.rfind('.', colon);
  if (colon == std::string::npos || dot == std::string::npos || dot == 0)
    return setting + ": expected CATEGORY.OPTION:VALUE, e.g. twin.thres:debug or twin.lab.thres:verbose";
  const std::string path = setting.substr(0, dot), option = setting.substr(dot + 1, colon - dot - 1),
                    value = setting.substr(colon + 1);
  std::string name = path;
  std::replace(name.begin(), name.end(), '.', '_');
  std::vector<std::string> names;
  category_names(&_simgrid_log_category__root, names);
  if (std::find(names.begin(), names.end(), name) == names.end()) {
    std::vector<std::string> twin_names;
    for (const auto& n : names)
      if (n == "twin" || n.rfind("twin_", 0) == 0) twin_names.push_back(dotted(n));
    std::sort(twin_names.begin(), twin_names.end());
    std::string msg = setting + ": unknown log category '" + path + "'";
    const std::string close = did_you_mean(path, twin_names);
    if (!close.empty()) msg += " (did you mean '" + close + "'?)";
    msg += "; the twin's categories:";
    for (const auto& n : twin_names) msg += " " + n;
    return msg + " (SimGrid's own by their names, e.g. s4u_actor)";
  }
  static const char* const options[] = {"threshold", "additivity", "appender", "layout", "fmt"};
  const bool known_option =
      std::any_of(std::begin(options), std::end(options), [&](const char* o) { return is_prefix_of(option, o); });
  if (!known_option)
    return setting + ": unknown option '" + option + "'; expected thres, fmt, app or add";
  if (is_prefix_of(option, "threshold")) {
    static const char* const levels[] = {"trace", "debug", "verbose", "info", "warning", "error", "critical"};
    if (std::none_of(std::begin(levels), std::end(levels), [&](const char* l) { return lower(value) == l; }))
      return setting + ": unknown level '" + value +
             "'; expected trace, debug, verbose, info, warning, error or critical";
  }
  setting = name + setting.substr(dot);
  return {};
}

}  // namespace

CLI::Validator log_setting_check() {
  return CLI::Validator(
      [](std::string& input) -> std::string {
        std::string out, part;
        std::istringstream words(input);
        while (words >> part) {
          if (std::string e = rewrite_log_setting(part); !e.empty()) return e;
          out += (out.empty() ? "" : " ") + part;
        }
        if (out.empty()) return "--log: expected CATEGORY.OPTION:VALUE, e.g. twin.thres:debug";
        input = out;
        return {};
      },
      "CATEGORY.thres:LEVEL");
}

std::string unknown_command_message(const CLI::App& app, int argc, const char* const* argv) {
  if (argc < 2) return {};
  const std::string word = argv[1];
  if (word.empty() || word[0] == '-') return {};
  std::vector<std::string> names;
  for (const CLI::App* sub : app.get_subcommands([](const CLI::App* s) { return !s->get_group().empty(); }))
    names.push_back(sub->get_name());
  for (const CLI::App* sub : app.get_subcommands([](const CLI::App*) { return true; }))
    if (sub->get_name() == word) return {};
  std::string msg = "unknown command '" + word + "'";
  const std::string close = did_you_mean(word, names);
  if (!close.empty()) msg += " (did you mean '" + close + "'?)";
  msg += "; the commands are:";
  for (const auto& n : names) msg += " " + n;
  return msg;
}

}  // namespace twin::cli
