#include "twin/core/Calendar.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace twin::core {

long days_from_civil(int y, unsigned m, unsigned d) {
  y -= m <= 2;
  const long era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<long>(doe) - 719468;
}

std::string civil_text(long z) {
  z += 719468;
  const long era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  const long y = static_cast<long>(yoe) + era * 400 + (m <= 2);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04ld-%02u-%02u", y, m, d);
  return buf;
}

bool parse_date(const std::string& text, long& days) {
  int y = 0;
  unsigned m = 0, d = 0;
  char tail = 0;
  if (text.size() != 10 || std::sscanf(text.c_str(), "%4d-%2u-%2u%c", &y, &m, &d, &tail) != 3) return false;
  if (m < 1 || m > 12 || d < 1) return false;
  static const unsigned mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  unsigned limit = mdays[m - 1];
  const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  if (m == 2 && leap) limit = 29;
  if (d > limit) return false;
  days = days_from_civil(y, m, d);
  return true;
}

int weekday_of(long days) {
  // 1970-01-01 was a Thursday (index 3 with Monday = 0).
  long w = (days + 3) % 7;
  return static_cast<int>(w < 0 ? w + 7 : w);
}

Shift::Shift(long start_day_epoch, double utc_offset_h, std::array<bool, 7> weekdays, int start_min, int end_min,
             std::vector<long> holidays)
    : always_(false),
      start_day_epoch_(start_day_epoch),
      offset_s_(utc_offset_h * 3600.0),
      weekdays_(weekdays),
      start_min_(start_min),
      end_min_(end_min),
      holidays_(std::move(holidays)) {
  std::sort(holidays_.begin(), holidays_.end());
}

bool Shift::day_staffed(long local_day) const {
  if (!weekdays_[static_cast<std::size_t>(weekday_of(start_day_epoch_ + local_day))]) return false;
  return !std::binary_search(holidays_.begin(), holidays_.end(), local_day);
}

bool Shift::staffed_at(double t) const {
  if (always_) return true;
  const double local = t + offset_s_;
  const long day = static_cast<long>(std::floor(local / SECONDS_PER_DAY));
  const double in_day = local - static_cast<double>(day) * SECONDS_PER_DAY;
  return day_staffed(day) && in_day >= start_min_ * 60.0 && in_day < end_min_ * 60.0;
}

double Shift::next_staffed(double t) const {
  if (always_) return t;
  if (end_min_ <= start_min_) return NEVER;
  const double local = t + offset_s_;
  long day = static_cast<long>(std::floor(local / SECONDS_PER_DAY));
  for (int i = 0; i < 800; ++i, ++day) {
    if (!day_staffed(day)) continue;
    const double open = static_cast<double>(day) * SECONDS_PER_DAY + start_min_ * 60.0;
    const double close = static_cast<double>(day) * SECONDS_PER_DAY + end_min_ * 60.0;
    if (local < close) return std::max(local, open) - offset_s_;
  }
  return NEVER;
}

double Shift::staffed_seconds(double t0, double t1) const {
  if (always_) return std::max(0.0, t1 - t0);
  double total = 0;
  const double l0 = t0 + offset_s_, l1 = t1 + offset_s_;
  for (long day = static_cast<long>(std::floor(l0 / SECONDS_PER_DAY)); static_cast<double>(day) * SECONDS_PER_DAY < l1;
       ++day) {
    if (!day_staffed(day)) continue;
    const double open = static_cast<double>(day) * SECONDS_PER_DAY + start_min_ * 60.0;
    const double close = static_cast<double>(day) * SECONDS_PER_DAY + end_min_ * 60.0;
    total += std::max(0.0, std::min(close, l1) - std::max(open, l0));
  }
  return total;
}

double Shift::hours_per_week() const {
  if (always_) return 168.0;
  int days = 0;
  for (bool w : weekdays_) days += w ? 1 : 0;
  return days * (end_min_ - start_min_) / 60.0;
}

}  // namespace twin::core
