#pragma once
// The thin MPI layer of a distributed sweep: rank 0 coordinates (it alone
// opens the database) and hands out one run at a time to ranks that ask;
// every other rank runs its runs as child processes and sends back each
// outcome. Built only where MPI was found (TWIN_HAVE_MPI); elsewhere
// `available()` is false and the rest must not be called.
#include <string>

namespace twin::sweep {

enum class MpiTag : int { READY = 1, RESULT = 2, TASK = 3, STOP = 4 };

class MpiLink {
 public:
  /// True if this program was built with MPI.
  static bool available();
  /// The number of ranks the launcher (mpirun, srun) says this process has
  /// among its peers, from the environment; 0 when not started by one.
  static int launcher_size();
  /// How to get MPI, for the message when it is asked for and missing.
  static const char* how_to_get();

  MpiLink();  ///< MPI_Init
  ~MpiLink(); ///< MPI_Finalize
  MpiLink(const MpiLink&) = delete;
  MpiLink& operator=(const MpiLink&) = delete;
  int rank() const { return rank_; }
  int size() const { return size_; }

  void send(int dest, MpiTag tag, const std::string& payload);
  /// A waiting message from `source` (-1: any), without blocking; false if none.
  bool try_receive(int source, int& from, MpiTag& tag, std::string& payload);
  /// Waits for a message from `source` (-1: any), sleeping between probes so
  /// an idle rank does not spin a core.
  void receive(int source, int& from, MpiTag& tag, std::string& payload);

 private:
  int rank_ = 0;
  int size_ = 1;
};

}  // namespace twin::sweep
