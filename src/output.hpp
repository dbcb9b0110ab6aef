// Output files (JSON, CSV), written atomically: the text goes to a temporary file in the target's
// directory, which is then renamed over the target. On any failure the temporary file is removed,
// so a partial output file never remains and an existing target is left as it was.
#pragma once

#include <filesystem>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <vector>

namespace footloose {

class OutputError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// A table of numbers with named columns, one row per record.
struct CsvTable {
  std::vector<std::string> columns;
  std::vector<std::vector<double>> rows;
};

// Throws OutputError when the directory that would hold `target` does not exist, so that a
// command can refuse bad output paths before it computes anything.
void check_output_directory(const std::filesystem::path& target);

void write_text_atomically(const std::filesystem::path& target, const std::string& text);
// {"version": ..., "git_commit": ...} of this build.
nlohmann::ordered_json build_info_json();
// Writes the document atomically; an object gets a "footloose" key with build_info_json().
void write_json(const std::filesystem::path& target, const nlohmann::ordered_json& document);
void write_csv(const std::filesystem::path& target, const CsvTable& table);

// CSV text: header line, then rows with shortest round-trip numbers.
std::string csv_text(const CsvTable& table);

}  // namespace footloose
