#include "reports/Csv.hpp"

#include <cmath>
#include <cstdio>

#include "reports/Figures.hpp"

namespace twin::reports {

std::string csv_field(const std::string& s) {
  if (s.find_first_of(",\"\r\n") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

std::string csv_number(double x) {
  if (!std::isfinite(x)) return "";
  if (x == 0) return "0";  // also folds -0
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.10g", x);
  return buf;
}

namespace {

/// Rows built field by field; each row starts with the simulation's mode and replication.
class Table {
 public:
  explicit Table(const char* header) : text_(header) { text_ += '\n'; }
  Table& row(const core::SimResult& s) {
    text_ += csv_field(s.mode);
    text_ += ',';
    text_ += std::to_string(s.replication);
    return *this;
  }
  Table& str(const std::string& v) {
    text_ += ',';
    text_ += csv_field(v);
    return *this;
  }
  Table& num(double v) {
    text_ += ',';
    text_ += csv_number(v);
    return *this;
  }
  Table& integer(std::int64_t v) {
    text_ += ',';
    text_ += std::to_string(v);
    return *this;
  }
  void end() { text_ += '\n'; }
  std::string take() { return std::move(text_); }

 private:
  std::string text_;
};

}  // namespace

std::vector<std::pair<std::string, std::string>> build_csv_files(const core::RunResult& run) {
  Table exp("mode,replication,campaign,index,cycle,problem,submit_s,end_s,ok,value,discovery,best_so_far,failure,candidate");
  Table jobs("mode,replication,system,id,owner,nodes,submit_s,start_s,end_s,wait_s,requested_s,state");
  Table samples(
      "mode,replication,lab,id,owner,created_s,end_s,state,steps,retries,queue_s,run_s,move_s,people_s,hold_s,failure");
  Table camps(
      "mode,replication,campaign,discoveries,experiments,failed_experiments,simulations,failed_simulations,problems,"
      "cycles,first_discovery_s,node_hours,lab_hours,energy_j,agent_s,people_s,hpc_queue_s,hpc_run_s,transfer_s,"
      "lab_queue_s,lab_run_s");
  Table util("mode,replication,resource,kind,parent,day,utilisation,queue");
  Table years(
      "mode,replication,year,start_date,days,discoveries,hpc_systems,nodes,gpus,rmax_pflops,labs,stations,robots,links,"
      "link_capacity_gbps");
  // The run's years as the report counts them (periods of 365.25 days from the start date),
  // with the capacity online in each (report.json years[].capacity_online, the same basis).
  const std::vector<YearFigures> periods = year_figures(run);
  for (const auto& s : run.sims) {
    double from_s = 0;
    for (const auto& p : periods) {
      const double to_s = from_s + p.days * 86400.0;
      std::int64_t k = 0;
      for (const auto& c : s.campaigns)
        for (double t : c.discovery_times_s) k += t >= from_s && t < to_s;
      const YearFigures::Capacity& c = p.capacity;
      years.row(s).integer(p.year).str(p.start_date).num(p.days).integer(k);
      years.num(c.hpc_systems).num(c.nodes).num(c.gpus).num(c.rmax_pflops).num(c.labs).num(c.stations);
      years.num(c.robots).num(c.links).num(c.link_capacity_gbps).end();
      from_s = to_s;
    }
    for (const auto& e : s.log.experiments) {
      exp.row(s).str(e.campaign).integer(e.index).integer(e.cycle).integer(e.problem).num(e.submit_s).num(e.end_s);
      exp.integer(e.ok ? 1 : 0).num(e.ok ? e.value : NAN).integer(e.discovery ? 1 : 0).num(e.best_so_far);
      exp.str(e.failure).str(e.candidate).end();
    }
    for (const auto& j : s.log.jobs) {
      jobs.row(s).str(j.system).integer(j.id).str(j.owner).integer(j.nodes).num(j.submit_s).num(j.start_s).num(j.end_s);
      jobs.num(j.start_s >= 0 ? j.start_s - j.submit_s : -1).num(j.requested_s).str(j.state).end();
    }
    for (const auto& m : s.log.samples) {
      samples.row(s).str(m.lab).integer(m.id).str(m.owner).num(m.created_s).num(m.end_s).str(m.state);
      samples.integer(m.steps).integer(m.retries).num(m.queue_s).num(m.run_s).num(m.move_s).num(m.people_s);
      samples.num(m.hold_s).str(m.failure).end();
    }
    for (const auto& c : s.campaigns) {
      camps.row(s).str(c.name).integer(c.discoveries).integer(c.experiments).integer(c.failed_experiments);
      camps.integer(c.simulations).integer(c.failed_simulations).integer(c.problems).integer(c.cycles);
      camps.num(c.first_discovery_s).num(c.node_hours).num(c.lab_hours).num(c.energy_j);
      const auto& y = c.cycle;
      camps.num(y.agent_s).num(y.people_s).num(y.hpc_queue_s).num(y.hpc_run_s).num(y.transfer_s).num(y.lab_queue_s);
      camps.num(y.lab_run_s).end();
    }
    for (const auto* rp : s.facilities()) {
      const auto& r = *rp;
      for (std::size_t d = 0; d < r.daily_utilisation.size(); ++d) {
        util.row(s).str(r.name).str(r.kind).str(r.parent).integer(static_cast<std::int64_t>(d));
        util.num(r.daily_utilisation[d]).num(d < r.daily_queue.size() ? r.daily_queue[d] : NAN).end();
      }
    }
  }
  std::vector<std::pair<std::string, std::string>> out;
  out.emplace_back("experiments.csv", exp.take());
  out.emplace_back("jobs.csv", jobs.take());
  out.emplace_back("samples.csv", samples.take());
  out.emplace_back("campaigns.csv", camps.take());
  out.emplace_back("utilisation.csv", util.take());
  out.emplace_back("years.csv", years.take());
  return out;
}

}  // namespace twin::reports
