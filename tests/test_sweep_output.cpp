// Sweep output files (src/sweep_output.hpp): the result columns, rows appended to the CSV (or the
// JSON's journal) and read back character for character, an unfinished last line dropped, the
// JSON written with numbers, null and booleans, and files of another sweep refused.
#include <stdlib.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "src/output.hpp"
#include "src/sweep_output.hpp"

using namespace footloose;

namespace {

class TemporaryDirectory {
 public:
  TemporaryDirectory() {
    std::string pattern =
        (std::filesystem::temp_directory_path() / "footloose-sweep-XXXXXX").string();
    path_ = ::mkdtemp(pattern.data());
  }
  ~TemporaryDirectory() { std::filesystem::remove_all(path_); }
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

std::string file_text(const std::filesystem::path& file) {
  std::ifstream in(file);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

const std::vector<SweepRow> rows = {
    {"0.3", "2", "0.6000111746364645", "0.6000111746364645", "0.35173666924154207", "0.00189",
     "0.999435060045406", "true", "true", "converged", "3.019464010752766e-10",
     "0.05498490400032097"},
    {"0.4", "1e-06", "nan", "nan", "nan", "nan", "nan", "false", "false", "time_limit", "nan",
     "20.5"},
};

}  // namespace

TEST_CASE("sweep output: the result columns and the cells of a failed point", "[sweep]") {
  CHECK(sweep_result_columns() == std::vector<std::string>{"sn_inf", "sk_inf", "aR_inf",
                                                           "moved_share", "lambda_R", "converged",
                                                           "trustworthy", "termination",
                                                           "error_estimate", "seconds"});
  SweepOutcome failed;
  failed.status = SweepStatus::Failed;
  failed.seconds = 1.5;
  CHECK(sweep_result_cells(failed) == std::vector<std::string>{"nan", "nan", "nan", "nan", "nan",
                                                               "false", "false", "not_converged",
                                                               "nan", "1.5"});
}

TEST_CASE("sweep output: CSV rows appended, read back, resumed after a cut line", "[sweep]") {
  TemporaryDirectory directory;
  const auto out = directory.path() / "out.csv";
  {
    SweepFile file(out, {"phi1", "gamma_R"});
    CHECK(file.read_existing().empty());
    file.open_journal();
    file.append(rows[1]);
    file.append(rows[0]);
  }
  CHECK(file_text(out) ==
        "phi1,gamma_R,sn_inf,sk_inf,aR_inf,moved_share,lambda_R,converged,trustworthy,"
        "termination,error_estimate,seconds\n" +
            std::string("0.4,1e-06,nan,nan,nan,nan,nan,false,false,time_limit,nan,20.5\n") +
            "0.3,2,0.6000111746364645,0.6000111746364645,0.35173666924154207,"
            "0.00189,0.999435060045406,"
            "true,true,converged,"
            "3.019464010752766e-10,0.05498490400032097\n");
  const std::string complete = file_text(out);
  std::ofstream(out, std::ios::app) << "0.5,2,0.60";  // a run killed in the middle of a line
  SweepFile file(out, {"phi1", "gamma_R"});
  CHECK(file.read_existing() == std::vector<SweepRow>{rows[1], rows[0]});
  CHECK(file_text(out) == complete);  // the cut line is gone before anything is appended
  file.open_journal();
  file.finish(rows);  // in the order given
  SweepFile again(out, {"phi1", "gamma_R"});
  CHECK(again.read_existing() == rows);

  SweepFile other(out, {"phi1", "sE"});
  CHECK_THROWS_AS(other.read_existing(), OutputError);
  CHECK_THROWS_AS(SweepFile(directory.path() / "out.txt", {"phi1"}), OutputError);
}

TEST_CASE("sweep output: JSON through its journal, read back exactly", "[sweep]") {
  TemporaryDirectory directory;
  const auto out = directory.path() / "out.json";
  const auto journal = directory.path() / "out.json.journal.csv";
  {
    SweepFile file(out, {"phi1", "gamma_R"});
    file.open_journal();
    file.append(rows[0]);
  }
  CHECK_FALSE(std::filesystem::exists(out));
  CHECK(std::filesystem::exists(journal));
  SweepFile file(out, {"phi1", "gamma_R"});
  CHECK(file.read_existing() == std::vector<SweepRow>{rows[0]});
  file.open_journal();
  file.append(rows[1]);
  file.finish(rows);
  CHECK_FALSE(std::filesystem::exists(journal));
  const std::string text = file_text(out);
  CHECK(text.find("\"gamma_R\": 2.0,") != std::string::npos);
  CHECK(text.find("\"sn_inf\": null,") != std::string::npos);
  CHECK(text.find("\"converged\": false,") != std::string::npos);
  CHECK(text.find("\"termination\": \"time_limit\",") != std::string::npos);
  SweepFile again(out, {"phi1", "gamma_R"});
  CHECK(again.read_existing() == rows);
  SweepFile other(out, {"phi1"});
  CHECK_THROWS_AS(other.read_existing(), OutputError);
}
