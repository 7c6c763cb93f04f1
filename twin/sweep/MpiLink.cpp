#include "twin/sweep/MpiLink.hpp"

#include <time.h>

#include <cstdlib>
#include <stdexcept>
#include <vector>

#ifdef TWIN_HAVE_MPI
#include <mpi.h>
#endif

namespace twin::sweep {

int MpiLink::launcher_size() {
  for (const char* v : {"OMPI_COMM_WORLD_SIZE", "PMI_SIZE", "PMIX_SIZE", "MPI_LOCALNRANKS"}) {
    if (const char* s = std::getenv(v)) return std::max(1, std::atoi(s));
  }
  if (std::getenv("PMIX_RANK") || std::getenv("OMPI_COMM_WORLD_RANK")) return 1;
  return 0;
}

const char* MpiLink::how_to_get() {
  return "this twin was built without MPI: install OpenMPI (Debian: apt-get install libopenmpi-dev openmpi-bin), "
         "configure again (cmake finds it with find_package(MPI)) and rebuild; then `mpirun -n K twin sweep ...`";
}

#ifdef TWIN_HAVE_MPI

bool MpiLink::available() { return true; }

MpiLink::MpiLink() {
  int inited = 0;
  MPI_Initialized(&inited);
  if (!inited) MPI_Init(nullptr, nullptr);
  MPI_Comm_rank(MPI_COMM_WORLD, &rank_);
  MPI_Comm_size(MPI_COMM_WORLD, &size_);
}

MpiLink::~MpiLink() {
  int finalized = 0;
  MPI_Finalized(&finalized);
  if (!finalized) MPI_Finalize();
}

void MpiLink::send(int dest, MpiTag tag, const std::string& payload) {
  MPI_Send(payload.data(), static_cast<int>(payload.size()), MPI_CHAR, dest, static_cast<int>(tag), MPI_COMM_WORLD);
}

bool MpiLink::try_receive(int source, int& from, MpiTag& tag, std::string& payload) {
  int flag = 0;
  MPI_Status st;
  MPI_Iprobe(source < 0 ? MPI_ANY_SOURCE : source, MPI_ANY_TAG, MPI_COMM_WORLD, &flag, &st);
  if (!flag) return false;
  int count = 0;
  MPI_Get_count(&st, MPI_CHAR, &count);
  std::vector<char> buf(static_cast<std::size_t>(count > 0 ? count : 1));
  MPI_Recv(buf.data(), count, MPI_CHAR, st.MPI_SOURCE, st.MPI_TAG, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
  from = st.MPI_SOURCE;
  tag = static_cast<MpiTag>(st.MPI_TAG);
  payload.assign(buf.data(), static_cast<std::size_t>(count));
  return true;
}

void MpiLink::receive(int source, int& from, MpiTag& tag, std::string& payload) {
  const timespec pause{0, 2000000};  // 2 ms
  while (!try_receive(source, from, tag, payload)) nanosleep(&pause, nullptr);
}

#else

bool MpiLink::available() { return false; }
MpiLink::MpiLink() { throw std::runtime_error(how_to_get()); }
MpiLink::~MpiLink() = default;
void MpiLink::send(int, MpiTag, const std::string&) { throw std::runtime_error(how_to_get()); }
bool MpiLink::try_receive(int, int&, MpiTag&, std::string&) { throw std::runtime_error(how_to_get()); }
void MpiLink::receive(int, int&, MpiTag&, std::string&) { throw std::runtime_error(how_to_get()); }

#endif

}  // namespace twin::sweep
