#pragma once
// The calendar: simulated time 0 is the scenario's start date at 00:00 UTC.
// A Shift says when people are at work at one site, in the site's local time
// (utc_offset_h): which weekdays, which hours, minus holidays.
#include <array>
#include <limits>
#include <string>
#include <vector>

namespace twin::core {

/// Days since 1970-01-01 of a civil date (proleptic Gregorian).
long days_from_civil(int y, unsigned m, unsigned d);
/// "YYYY-MM-DD" of a day counted since 1970-01-01 (the inverse of days_from_civil).
std::string civil_text(long days_since_epoch);
/// Parses "YYYY-MM-DD"; returns false if malformed or not a real date.
bool parse_date(const std::string& text, long& days_since_epoch);
/// 0 = Monday ... 6 = Sunday.
int weekday_of(long days_since_epoch);

constexpr double SECONDS_PER_DAY = 86400.0;
constexpr double NEVER = std::numeric_limits<double>::infinity();

class Shift {
 public:
  /// Always staffed (24/7).
  Shift() = default;
  /// `weekdays[i]` for Monday..Sunday; hours as minutes since local midnight
  /// (start < end, same day); holidays as days since the start date.
  Shift(long start_day_epoch, double utc_offset_h, std::array<bool, 7> weekdays, int start_min, int end_min,
        std::vector<long> holidays);

  bool always() const { return always_; }
  /// Whether someone is on shift at simulated time t (seconds).
  bool staffed_at(double t) const;
  /// The earliest time >= t at which someone is on shift (NEVER if none).
  double next_staffed(double t) const;
  /// Staffed seconds in [t0, t1).
  double staffed_seconds(double t0, double t1) const;
  /// Staffed hours per week (for reports).
  double hours_per_week() const;

 private:
  bool always_ = true;
  long start_day_epoch_ = 0;
  double offset_s_ = 0;
  std::array<bool, 7> weekdays_{};
  int start_min_ = 0;
  int end_min_ = 0;
  std::vector<long> holidays_;  // sorted, days since start date (local)
  bool day_staffed(long local_day) const;
};

}  // namespace twin::core
