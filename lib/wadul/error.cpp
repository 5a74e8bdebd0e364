#include "wadul/error.hpp"

#include <cstring>

namespace wadul {

std::string errno_text(int err) { return lower_first(std::strerror(err)); }

} // namespace wadul
