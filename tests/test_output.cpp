// Output writers: atomic replacement, no leftover temporary or partial files, CSV text.
#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "src/output.hpp"

using namespace footloose;
namespace fs = std::filesystem;

namespace {

// A fresh empty directory, removed at the end of the test.
struct ScratchDirectory {
  fs::path path;
  ScratchDirectory() {
    path = fs::temp_directory_path() / ("footloose_test_output_" + std::to_string(::getpid()));
    fs::remove_all(path);
    fs::create_directories(path);
  }
  ~ScratchDirectory() {
    std::error_code ignored;
    fs::remove_all(path, ignored);
  }
  std::size_t entries() const {
    return static_cast<std::size_t>(
        std::distance(fs::directory_iterator(path), fs::directory_iterator()));
  }
};

std::string read_text(const fs::path& file) {
  std::ifstream in(file);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

TEST_CASE("write_json writes the document and leaves no temporary file", "[output]") {
  ScratchDirectory dir;
  const fs::path target = dir.path / "report.json";
  write_json(target, nlohmann::ordered_json{{"autarky", {{"aD", 0.5}}}});
  CHECK(nlohmann::json::parse(read_text(target))["autarky"]["aD"] == 0.5);
  CHECK(dir.entries() == 1);
  write_json(target, nlohmann::ordered_json{{"x", 1}});  // replaces the old file
  CHECK(nlohmann::json::parse(read_text(target))["x"] == 1);
  CHECK(dir.entries() == 1);
}

TEST_CASE("replacing a file, with and without fsync: new text, usual permissions, nothing else",
          "[output]") {
  ScratchDirectory dir;
  const fs::path target = dir.path / "path.csv";
  const mode_t mask = ::umask(022);
  for (const FileSync sync : {FileSync::no, FileSync::yes, FileSync::no}) {
    const std::string text = "t\n" + std::to_string(static_cast<int>(sync)) + "\n";
    write_text_atomically(target, text, sync);
    CHECK(read_text(target) == text);
    CHECK(dir.entries() == 1);
    CHECK((fs::status(target).permissions() & fs::perms::all) ==
          (fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read |
           fs::perms::others_read));
  }
  ::umask(mask);
}

TEST_CASE("failed writes leave no file behind", "[output]") {
  ScratchDirectory dir;
  CHECK_THROWS_AS(write_text_atomically(dir.path / "missing_dir" / "x.json", "{}"), OutputError);
  fs::create_directory(dir.path / "a_directory");
  CHECK_THROWS_AS(write_text_atomically(dir.path / "a_directory", "{}"),
                  OutputError);  // rename fails
  CHECK(dir.entries() == 1);     // only a_directory: no temporary file remains
  CHECK(fs::is_empty(dir.path / "a_directory"));
  CHECK_THROWS_AS(check_output_directory(dir.path / "missing_dir" / "x.json"), OutputError);
  CHECK_NOTHROW(check_output_directory(dir.path / "x.json"));
}

TEST_CASE("CSV text: header, shortest round-trip numbers, row length checked", "[output]") {
  const CsvTable table{{"t", "sn, share"}, {{0.0, 0.6}, {0.1, 1.0 / 3.0}}};
  CHECK(csv_text(table) == "t,\"sn, share\"\n0,0.6\n0.1,0.3333333333333333\n");
  CHECK_THROWS_AS(csv_text(CsvTable{{"a", "b"}, {{1.0}}}), OutputError);
  ScratchDirectory dir;
  write_csv(dir.path / "path.csv", table);
  CHECK(read_text(dir.path / "path.csv") == csv_text(table));
}
