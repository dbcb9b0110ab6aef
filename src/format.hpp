// Text form of numbers shared by every output (help text, tables, CSV).
#pragma once

#include <ostream>
#include <string>

namespace footloose {

// Shortest decimal text that reads back as exactly the same double ("0.4", "1e-10", "nan").
std::string shortest_text(double value);

// Readable tables of the terminal reports: numbers with 12 significant digits, and rows of a
// label column (36 wide) and one or two value columns (the first 22 wide).
std::string table_number(double value);
void print_row(std::ostream& out, const std::string& label, const std::string& first,
               const std::string& second = "");

}  // namespace footloose
