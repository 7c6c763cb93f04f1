#include "hpc/Scheduler.hpp"
