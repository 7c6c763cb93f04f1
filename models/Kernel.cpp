#include "models/Kernel.hpp"
