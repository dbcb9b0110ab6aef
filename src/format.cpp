#include "src/format.hpp"

#include <charconv>
#include <cmath>
#include <cstdio>
#include <system_error>

namespace footloose {

std::string shortest_text(double value) {
  if (std::isnan(value)) return "nan";
  if (std::isinf(value)) return value > 0 ? "inf" : "-inf";
  char buffer[64];
  const auto result = std::to_chars(buffer, buffer + sizeof buffer, value);  // shortest round trip
  if (result.ec != std::errc()) return "?";
  return std::string(buffer, result.ptr);
}

std::string table_number(double value) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.12g", value);
  return buffer;
}

void print_row(std::ostream& out, const std::string& label, const std::string& first,
               const std::string& second) {
  const auto padded = [](std::string text, std::size_t width) {
    if (text.size() < width) text.resize(width, ' ');
    return text;
  };
  std::string line = "  " + padded(label, 36) + padded(first, 22) + second;
  line.erase(line.find_last_not_of(' ') + 1);
  out << line << "\n";
}

}  // namespace footloose
