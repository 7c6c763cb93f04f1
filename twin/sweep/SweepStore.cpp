#include "twin/sweep/SweepStore.hpp"

#include <sqlite3.h>

#include <cstdio>
#include <ctime>
#include <stdexcept>

namespace twin::sweep {

namespace {

const char* const SCHEMA = R"SQL(
CREATE TABLE IF NOT EXISTS sweep_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS parameters (
  position INTEGER PRIMARY KEY, name TEXT NOT NULL, pointer TEXT NOT NULL, spec_json TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS variants (
  variant INTEGER PRIMARY KEY, label TEXT NOT NULL, values_json TEXT NOT NULL,
  status TEXT NOT NULL, error TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS variant_values (
  variant INTEGER NOT NULL, parameter TEXT NOT NULL, value_json TEXT NOT NULL, value_num REAL,
  PRIMARY KEY (variant, parameter));
CREATE TABLE IF NOT EXISTS runs (
  variant INTEGER NOT NULL, replication INTEGER NOT NULL, status TEXT NOT NULL,
  exit_status INTEGER NOT NULL, signal INTEGER NOT NULL, error TEXT NOT NULL, stderr TEXT NOT NULL,
  multiplier REAL, multiplier_censored INTEGER NOT NULL,
  discoveries_per_year_closed_loop REAL, discoveries_per_year_baseline REAL,
  discoveries_closed_loop REAL, discoveries_baseline REAL, ttfd_ratio REAL,
  result_json TEXT NOT NULL,
  PRIMARY KEY (variant, replication));
CREATE TABLE IF NOT EXISTS run_campaigns (
  variant INTEGER NOT NULL, replication INTEGER NOT NULL, mode TEXT NOT NULL, campaign TEXT NOT NULL,
  discoveries INTEGER NOT NULL, experiments INTEGER NOT NULL, failed_experiments INTEGER NOT NULL,
  simulations INTEGER NOT NULL, cycles INTEGER NOT NULL, first_discovery_days REAL,
  node_hours REAL NOT NULL, lab_hours REAL NOT NULL, energy_kwh REAL NOT NULL,
  PRIMARY KEY (variant, replication, mode, campaign));
CREATE TABLE IF NOT EXISTS run_outputs (
  variant INTEGER NOT NULL, replication INTEGER NOT NULL, output TEXT NOT NULL, value_json TEXT NOT NULL,
  PRIMARY KEY (variant, replication, output));
CREATE TABLE IF NOT EXISTS run_wallclock (
  variant INTEGER NOT NULL, replication INTEGER NOT NULL, wall_start_utc TEXT NOT NULL, wall_s REAL NOT NULL,
  host TEXT NOT NULL, pid INTEGER NOT NULL, rank INTEGER NOT NULL,
  PRIMARY KEY (variant, replication));
)SQL";

class Stmt {
 public:
  Stmt(sqlite3* db, const char* sql) : db_(db) {
    if (sqlite3_prepare_v2(db, sql, -1, &st_, nullptr) != SQLITE_OK)
      throw std::runtime_error(std::string("sqlite: ") + sqlite3_errmsg(db) + " in: " + sql);
  }
  ~Stmt() { sqlite3_finalize(st_); }
  Stmt(const Stmt&) = delete;
  Stmt& operator=(const Stmt&) = delete;
  Stmt& bind(int i, const std::string& s) {
    sqlite3_bind_text(st_, i, s.c_str(), static_cast<int>(s.size()), SQLITE_TRANSIENT);
    return *this;
  }
  Stmt& bind(int i, std::int64_t v) {
    sqlite3_bind_int64(st_, i, v);
    return *this;
  }
  Stmt& bind(int i, int v) { return bind(i, static_cast<std::int64_t>(v)); }
  Stmt& bind(int i, double v) {
    sqlite3_bind_double(st_, i, v);
    return *this;
  }
  Stmt& bind(int i, const std::optional<double>& v) {
    if (v) sqlite3_bind_double(st_, i, *v);
    else sqlite3_bind_null(st_, i);
    return *this;
  }
  void run() {
    if (sqlite3_step(st_) != SQLITE_DONE) throw std::runtime_error(std::string("sqlite: ") + sqlite3_errmsg(db_));
    sqlite3_reset(st_);
    sqlite3_clear_bindings(st_);
  }
  bool next() {
    const int rc = sqlite3_step(st_);
    if (rc == SQLITE_ROW) return true;
    if (rc != SQLITE_DONE) throw std::runtime_error(std::string("sqlite: ") + sqlite3_errmsg(db_));
    return false;
  }
  std::string text(int c) {
    const unsigned char* t = sqlite3_column_text(st_, c);
    return t ? std::string(reinterpret_cast<const char*>(t), static_cast<std::size_t>(sqlite3_column_bytes(st_, c)))
             : std::string();
  }
  std::int64_t integer(int c) { return sqlite3_column_int64(st_, c); }
  std::optional<double> real(int c) {
    if (sqlite3_column_type(st_, c) == SQLITE_NULL) return std::nullopt;
    return sqlite3_column_double(st_, c);
  }

 private:
  sqlite3* db_;
  sqlite3_stmt* st_ = nullptr;
};

std::string utc_text(double unix_s) {
  const std::time_t t = static_cast<std::time_t>(unix_s);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[96];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<int>((unix_s - static_cast<double>(t)) * 1000));
  return buf;
}

}  // namespace

SweepStore::SweepStore(const std::string& path) : path_(path) {
  if (sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr) != SQLITE_OK) {
    const std::string why = db_ ? sqlite3_errmsg(db_) : "out of memory";
    sqlite3_close(db_);
    db_ = nullptr;
    throw std::runtime_error("cannot open " + path + ": " + why);
  }
  sqlite3_busy_timeout(db_, 10000);
  // WAL: a commit is one append to the log; a crash at any moment leaves the
  // last committed state. synchronous=NORMAL is safe against a killed
  // process (only a power loss may drop the last commits).
  exec("PRAGMA journal_mode=WAL");
  exec("PRAGMA synchronous=NORMAL");
  exec("PRAGMA foreign_keys=ON");
  exec(SCHEMA);
}

SweepStore::~SweepStore() {
  if (db_) sqlite3_close(db_);
}

void SweepStore::exec(const char* sql) {
  char* err = nullptr;
  if (sqlite3_exec(db_, sql, nullptr, nullptr, &err) != SQLITE_OK) {
    const std::string why = err ? err : "unknown error";
    sqlite3_free(err);
    throw std::runtime_error(path_ + ": " + why);
  }
}

std::string SweepStore::definition() {
  Stmt s(db_, "SELECT value FROM sweep_meta WHERE key = 'definition'");
  return s.next() ? s.text(0) : std::string();
}

void SweepStore::initialise(const std::string& definition, const std::vector<ParameterRow>& parameters,
                            const std::vector<VariantRow>& variants,
                            const std::vector<std::vector<std::string>>& values_json,
                            const std::vector<std::vector<std::optional<double>>>& values_num) {
  exec("BEGIN IMMEDIATE");
  try {
    Stmt meta(db_, "INSERT OR REPLACE INTO sweep_meta (key, value) VALUES (?, ?)");
    meta.bind(1, std::string("definition")).bind(2, definition).run();
    meta.bind(1, std::string("schema_version")).bind(2, std::string("1")).run();
    Stmt par(db_, "INSERT OR REPLACE INTO parameters (position, name, pointer, spec_json) VALUES (?, ?, ?, ?)");
    for (std::size_t i = 0; i < parameters.size(); ++i)
      par.bind(1, static_cast<int>(i)).bind(2, parameters[i].name).bind(3, parameters[i].pointer)
          .bind(4, parameters[i].spec_json).run();
    Stmt var(db_, "INSERT OR REPLACE INTO variants (variant, label, values_json, status, error) VALUES (?, ?, ?, ?, ?)");
    Stmt val(db_, "INSERT OR REPLACE INTO variant_values (variant, parameter, value_json, value_num) VALUES (?, ?, ?, ?)");
    for (std::size_t v = 0; v < variants.size(); ++v) {
      const auto& r = variants[v];
      var.bind(1, r.variant).bind(2, r.label).bind(3, r.values_json).bind(4, r.status).bind(5, r.error).run();
      for (std::size_t k = 0; k < parameters.size(); ++k)
        val.bind(1, r.variant).bind(2, parameters[k].name).bind(3, values_json[v][k]).bind(4, values_num[v][k]).run();
    }
    exec("COMMIT");
  } catch (...) {
    exec("ROLLBACK");
    throw;
  }
}

std::set<std::pair<int, int>> SweepStore::recorded_runs(bool include_failed) {
  Stmt s(db_, include_failed ? "SELECT variant, replication FROM runs"
                             : "SELECT variant, replication FROM runs WHERE status = 'ok'");
  std::set<std::pair<int, int>> out;
  while (s.next()) out.emplace(static_cast<int>(s.integer(0)), static_cast<int>(s.integer(1)));
  return out;
}

void SweepStore::forget_failed_runs() {
  exec("BEGIN IMMEDIATE");
  try {
    exec("DELETE FROM run_wallclock WHERE (variant, replication) IN (SELECT variant, replication FROM runs WHERE status <> 'ok')");
    exec("DELETE FROM run_campaigns WHERE (variant, replication) IN (SELECT variant, replication FROM runs WHERE status <> 'ok')");
    exec("DELETE FROM run_outputs WHERE (variant, replication) IN (SELECT variant, replication FROM runs WHERE status <> 'ok')");
    exec("DELETE FROM runs WHERE status <> 'ok'");
    exec("COMMIT");
  } catch (...) {
    exec("ROLLBACK");
    throw;
  }
}

void SweepStore::record_run(const RunRecord& r) {
  exec("BEGIN IMMEDIATE");
  try {
    for (const char* t : {"run_campaigns", "run_outputs", "run_wallclock"}) {
      Stmt del(db_, (std::string("DELETE FROM ") + t + " WHERE variant = ? AND replication = ?").c_str());
      del.bind(1, r.variant).bind(2, r.replication).run();
    }
    Stmt run(db_,
             "INSERT OR REPLACE INTO runs (variant, replication, status, exit_status, signal, error, stderr, multiplier, "
             "multiplier_censored, discoveries_per_year_closed_loop, discoveries_per_year_baseline, "
             "discoveries_closed_loop, discoveries_baseline, ttfd_ratio, result_json) "
             "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    run.bind(1, r.variant).bind(2, r.replication).bind(3, r.status).bind(4, r.exit_status).bind(5, r.signal)
        .bind(6, r.error).bind(7, r.stderr_text).bind(8, r.multiplier).bind(9, r.multiplier_censored ? 1 : 0)
        .bind(10, r.dpy_closed_loop).bind(11, r.dpy_baseline).bind(12, r.discoveries_closed_loop)
        .bind(13, r.discoveries_baseline).bind(14, r.ttfd_ratio).bind(15, r.result_json).run();
    Stmt camp(db_,
              "INSERT INTO run_campaigns (variant, replication, mode, campaign, discoveries, experiments, "
              "failed_experiments, simulations, cycles, first_discovery_days, node_hours, lab_hours, energy_kwh) "
              "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    for (const auto& c : r.campaigns)
      camp.bind(1, r.variant).bind(2, r.replication).bind(3, c.mode).bind(4, c.campaign).bind(5, c.discoveries)
          .bind(6, c.experiments).bind(7, c.failed_experiments).bind(8, c.simulations).bind(9, c.cycles)
          .bind(10, c.first_discovery_days).bind(11, c.node_hours).bind(12, c.lab_hours).bind(13, c.energy_kwh).run();
    Stmt out(db_, "INSERT INTO run_outputs (variant, replication, output, value_json) VALUES (?, ?, ?, ?)");
    for (const auto& [name, value] : r.outputs) out.bind(1, r.variant).bind(2, r.replication).bind(3, name).bind(4, value).run();
    Stmt wall(db_,
              "INSERT INTO run_wallclock (variant, replication, wall_start_utc, wall_s, host, pid, rank) "
              "VALUES (?, ?, ?, ?, ?, ?, ?)");
    wall.bind(1, r.variant).bind(2, r.replication).bind(3, utc_text(r.wall_start_unix_s)).bind(4, r.wall_s)
        .bind(5, r.host).bind(6, r.pid).bind(7, r.rank).run();
    exec("COMMIT");
  } catch (...) {
    exec("ROLLBACK");
    throw;
  }
}

std::vector<ParameterRow> SweepStore::parameters() {
  Stmt s(db_, "SELECT name, pointer, spec_json FROM parameters ORDER BY position");
  std::vector<ParameterRow> out;
  while (s.next()) out.push_back({s.text(0), s.text(1), s.text(2)});
  return out;
}

std::vector<VariantRow> SweepStore::variants() {
  Stmt s(db_, "SELECT variant, label, values_json, status, error FROM variants ORDER BY variant");
  std::vector<VariantRow> out;
  while (s.next()) out.push_back({static_cast<int>(s.integer(0)), s.text(1), s.text(2), s.text(3), s.text(4)});
  return out;
}

std::vector<RunRecord> SweepStore::runs(bool with_result_json, bool with_wallclock) {
  std::vector<RunRecord> out;
  {
    Stmt s(db_,
           "SELECT variant, replication, status, exit_status, signal, error, stderr, multiplier, multiplier_censored, "
           "discoveries_per_year_closed_loop, discoveries_per_year_baseline, discoveries_closed_loop, "
           "discoveries_baseline, ttfd_ratio, result_json FROM runs ORDER BY variant, replication");
    while (s.next()) {
      RunRecord r;
      r.variant = static_cast<int>(s.integer(0));
      r.replication = static_cast<int>(s.integer(1));
      r.status = s.text(2);
      r.exit_status = static_cast<int>(s.integer(3));
      r.signal = static_cast<int>(s.integer(4));
      r.error = s.text(5);
      r.stderr_text = s.text(6);
      r.multiplier = s.real(7);
      r.multiplier_censored = s.integer(8) != 0;
      r.dpy_closed_loop = s.real(9);
      r.dpy_baseline = s.real(10);
      r.discoveries_closed_loop = s.real(11);
      r.discoveries_baseline = s.real(12);
      r.ttfd_ratio = s.real(13);
      if (with_result_json) r.result_json = s.text(14);
      out.push_back(std::move(r));
    }
  }
  std::size_t i = 0;
  {
    Stmt s(db_, "SELECT variant, replication, output, value_json FROM run_outputs ORDER BY variant, replication, output");
    while (s.next()) {
      const int v = static_cast<int>(s.integer(0)), rep = static_cast<int>(s.integer(1));
      while (i < out.size() && std::make_pair(out[i].variant, out[i].replication) < std::make_pair(v, rep)) ++i;
      if (i < out.size() && out[i].variant == v && out[i].replication == rep) out[i].outputs.emplace_back(s.text(2), s.text(3));
    }
  }
  if (with_wallclock) {
    Stmt s(db_, "SELECT variant, replication, wall_s, host, pid, rank FROM run_wallclock ORDER BY variant, replication");
    i = 0;
    while (s.next()) {
      const int v = static_cast<int>(s.integer(0)), rep = static_cast<int>(s.integer(1));
      while (i < out.size() && std::make_pair(out[i].variant, out[i].replication) < std::make_pair(v, rep)) ++i;
      if (i < out.size() && out[i].variant == v && out[i].replication == rep) {
        out[i].wall_s = s.real(2).value_or(0);
        out[i].host = s.text(3);
        out[i].pid = s.integer(4);
        out[i].rank = static_cast<int>(s.integer(5));
      }
    }
  }
  return out;
}

}  // namespace twin::sweep
