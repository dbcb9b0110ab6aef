// Output files (JSON, CSV), written atomically: the text goes to a temporary file in the target's
// directory, which is then renamed over the target. On any failure the temporary file is
// removed, so a partial output file never remains and an existing target is left as it was; a
// process that is killed or crashes leaves the old file or the whole new one (and perhaps a hidden
// temporary file), never a partial one: the rename alone guarantees that.
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

// Whether the file is also flushed to the disk (fsync) before the rename: durability across an
// operating-system crash or power loss, after which an unsynced new file may be lost. Off by
// default (`--fsync` of the commands turns it on): it cost 0.4-9 ms a file on the development
// machine, up to the whole of a `footloose path` run, and a lost result file is remade by running
// the command again. Either way the file is written to a temporary name and renamed onto the
// target (a reader or a killed process never sees a partial file), and a plain rename, so that a
// file system like ext4 (auto_da_alloc) still flushes a file that replaces another.
enum class FileSync { no, yes };

void write_text_atomically(const std::filesystem::path& target, const std::string& text,
                           FileSync sync = FileSync::no);
// {"version": ..., "git_commit": ...} of this build.
nlohmann::ordered_json build_info_json();
// Writes the document atomically; an object gets a "footloose" key with build_info_json(). Taken
// by value: a document passed as a temporary (or moved) is stamped and written without a copy
// (a path's JSON holds some 8,000 numbers).
void write_json(const std::filesystem::path& target, nlohmann::ordered_json document,
                FileSync sync = FileSync::no);
void write_csv(const std::filesystem::path& target, const CsvTable& table,
               FileSync sync = FileSync::no);

// CSV text: header line, then rows with shortest round-trip numbers.
std::string csv_text(const CsvTable& table);

}  // namespace footloose
