#include "agents/Policy.hpp"
