// The output of `footloose sweep`: one row per point — the varying config keys, then the result
// columns — as CSV or JSON (by the extension of the file), written as points finish and read back
// on a rerun so that finished points are not solved again. Rows are held as text cells (numbers
// in shortest round-trip form, "nan" where there is no number, "true"/"false"), so that a row
// read back is the row written, character for character.
//
// Files: a CSV output is its own journal: rows are appended, one write(2) each, as points finish
// (an interrupted run leaves a valid CSV), and the file is rewritten in point order at the end. A
// JSON output cannot grow row by row and stay valid, so its rows go to a journal OUT.journal.csv
// beside it; at the end the JSON is written atomically (old rows and new, in point order) and the
// journal removed. A run that died leaves the journal, which the next run reads.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "src/output.hpp"
#include "src/sweep.hpp"

namespace footloose {

// sn_inf, sk_inf, aR_inf, moved_share, lambda_R, converged, trustworthy, termination,
// error_estimate, seconds.
const std::vector<std::string>& sweep_result_columns();
// Position of a result column among sweep_result_columns() (throws std::logic_error if none).
std::size_t sweep_result_column(const std::string& name);
// Those cells of one outcome. error_estimate: collocation's scaled estimate over the path
// (TransitionResult::error_estimate.path), nan when the method gives none.
std::vector<std::string> sweep_result_cells(const SweepOutcome& outcome);

using SweepRow = std::vector<std::string>;  // key cells, then result cells

class SweepFile {
 public:
  // OUT ending in .csv or .json (OutputError otherwise); key_columns: the varying config keys.
  SweepFile(std::filesystem::path out, std::vector<std::string> key_columns);
  ~SweepFile();
  SweepFile(const SweepFile&) = delete;
  SweepFile& operator=(const SweepFile&) = delete;

  const std::vector<std::string>& columns() const { return columns_; }
  // Rows already written (the output and, for JSON, the journal; later rows win). OutputError when
  // the file is not a sweep output with these columns. A CSV's unfinished last line is dropped.
  std::vector<SweepRow> read_existing();
  // Opens the journal for appending (creating it with its header line).
  void open_journal();
  void append(const SweepRow& row);
  // Writes OUT atomically with `rows` (in the order given) and, for JSON, removes the journal.
  void finish(const std::vector<SweepRow>& rows, FileSync sync = FileSync::no);

 private:
  std::filesystem::path journal_path() const;
  std::vector<SweepRow> read_csv(const std::filesystem::path& file, bool repair_last_line);
  std::vector<SweepRow> read_json(const std::filesystem::path& file);

  std::filesystem::path out_;
  bool json_ = false;
  std::vector<std::string> columns_;
  std::size_t key_count_ = 0;
  int journal_ = -1;  // file descriptor, O_APPEND
};

}  // namespace footloose
