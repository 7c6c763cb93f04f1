#include "twin/core/Errors.hpp"
