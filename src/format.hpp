// Text form of numbers shared by every output (help text, tables, CSV).
#pragma once

#include <string>

namespace footloose {

// Shortest decimal text that reads back as exactly the same double ("0.4", "1e-10", "nan").
std::string shortest_text(double value);

}  // namespace footloose
