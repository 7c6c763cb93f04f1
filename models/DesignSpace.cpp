#include "models/DesignSpace.hpp"
