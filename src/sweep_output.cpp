#include "src/sweep_output.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "src/config_schema.hpp"
#include "src/format.hpp"
#include "src/output.hpp"
#include "src/sweep_grid.hpp"

namespace footloose {

namespace {

enum class CellKind { Number, Boolean, Word };

CellKind key_kind(const std::string& name) {
  const ConfigKey* key = find_config_key(name);
  if (!key || !key->takes_word()) return CellKind::Number;
  return key->choices == std::vector<std::string>{"false", "true"} ? CellKind::Boolean
                                                                   : CellKind::Word;
}

CellKind result_kind(const std::string& column) {
  if (column == "converged" || column == "trustworthy") return CellKind::Boolean;
  if (column == "termination") return CellKind::Word;
  return CellKind::Number;
}

nlohmann::ordered_json json_cell(const std::string& text, CellKind kind) {
  switch (kind) {
    case CellKind::Number:
      if (text == "nan") return nullptr;
      return std::strtod(text.c_str(), nullptr);
    case CellKind::Boolean:
      return text == "true";
    case CellKind::Word:
      return text;
  }
  return text;
}

std::string cell_text(const nlohmann::ordered_json& value) {
  if (value.is_null()) return "nan";
  if (value.is_boolean()) return value.get<bool>() ? "true" : "false";
  if (value.is_number()) return shortest_text(value.get<double>());
  if (value.is_string()) return value.get<std::string>();
  throw OutputError("unexpected JSON value " + value.dump());
}

std::string line_of(const std::vector<std::string>& cells) {
  std::string line;
  for (std::size_t i = 0; i < cells.size(); ++i) line += (i ? "," : "") + cells[i];
  return line + "\n";
}

}  // namespace

const std::vector<std::string>& sweep_result_columns() {
  static const std::vector<std::string> columns = {
      "sn_inf",    "sk_inf",      "aR_inf",      "moved_share",    "lambda_R",
      "converged", "trustworthy", "termination", "error_estimate", "seconds"};
  return columns;
}

std::size_t sweep_result_column(const std::string& name) {
  const auto& columns = sweep_result_columns();
  const auto at = std::find(columns.begin(), columns.end(), name);
  if (at == columns.end()) throw std::logic_error("no sweep result column '" + name + "'");
  return static_cast<std::size_t>(at - columns.begin());
}

std::vector<std::string> sweep_result_cells(const SweepOutcome& outcome) {
  const PathAnswer& a = outcome.answer;
  const auto cell = [](double x) { return std::isfinite(x) ? shortest_text(x) : "nan"; };
  return {cell(a.sn_inf),
          cell(a.sk_inf),
          cell(a.aR_inf),
          cell(a.moved_share),
          cell(a.lambda_R),
          a.converged ? "true" : "false",
          a.trustworthy ? "true" : "false",
          a.termination.empty() ? "not_converged" : a.termination,
          cell(a.error_estimate),
          shortest_text(outcome.seconds)};
}

SweepFile::SweepFile(std::filesystem::path out, std::vector<std::string> key_columns)
    : out_(std::move(out)), columns_(std::move(key_columns)), key_count_(columns_.size()) {
  const std::string extension = out_.extension().string();
  if (extension != ".csv" && extension != ".json")
    throw OutputError("output file '" + out_.string() +
                      "' must end in .csv or .json (the format is chosen by it)");
  json_ = extension == ".json";
  for (const auto& column : sweep_result_columns()) columns_.push_back(column);
}

SweepFile::~SweepFile() {
  if (journal_ >= 0) ::close(journal_);
}

std::filesystem::path SweepFile::journal_path() const {
  return json_ ? std::filesystem::path(out_.string() + ".journal.csv") : out_;
}

std::vector<SweepRow> SweepFile::read_csv(const std::filesystem::path& file,
                                          bool repair_last_line) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw OutputError("cannot read '" + file.string() + "': " + std::strerror(errno));
  std::ostringstream buffer;
  buffer << in.rdbuf();
  std::string text = buffer.str();
  if (text.empty()) return {};
  const std::size_t complete = text.rfind('\n') == std::string::npos ? 0 : text.rfind('\n') + 1;
  if (complete < text.size() && repair_last_line) {  // a line cut short when a run was killed
    text.resize(complete);
    std::filesystem::resize_file(file, complete);
  }
  std::istringstream lines(text);
  std::string line;
  std::vector<SweepRow> rows;
  std::size_t number = 0;
  const std::string header = line_of(columns_);
  while (std::getline(lines, line)) {
    ++number;
    if (number == 1) {
      if (line + "\n" != header)
        throw OutputError("'" + file.string() +
                          "' is not the output of this sweep: its header is '" + line +
                          "', this sweep writes '" + header.substr(0, header.size() - 1) +
                          "'; give another --out, or remove the file");
      continue;
    }
    SweepRow row = split_csv_line(line);
    if (row.size() != columns_.size())
      throw OutputError(file.string() + ":" + std::to_string(number) + ": " +
                        std::to_string(row.size()) + " cells for " +
                        std::to_string(columns_.size()) + " columns");
    rows.push_back(std::move(row));
  }
  return rows;
}

std::vector<SweepRow> SweepFile::read_json(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw OutputError("cannot read '" + file.string() + "': " + std::strerror(errno));
  nlohmann::ordered_json document;
  try {
    document = nlohmann::ordered_json::parse(in);
  } catch (const nlohmann::json::exception& error) {
    throw OutputError("'" + file.string() + "' is not a sweep output (not JSON: " + error.what() +
                      ")");
  }
  if (!document.is_array())
    throw OutputError("'" + file.string() + "' is not a sweep output (not a JSON list)");
  std::vector<SweepRow> rows;
  for (const auto& object : document) {
    SweepRow row;
    for (const auto& column : columns_) {
      if (!object.is_object() || !object.contains(column) || object.size() != columns_.size())
        throw OutputError("'" + file.string() + "' is not the output of this sweep: row " +
                          std::to_string(rows.size() + 1) + " does not have exactly the columns " +
                          line_of(columns_).substr(0, line_of(columns_).size() - 1) +
                          "; give another --out, or remove the file");
      row.push_back(cell_text(object.at(column)));
    }
    rows.push_back(std::move(row));
  }
  return rows;
}

std::vector<SweepRow> SweepFile::read_existing() {
  std::vector<SweepRow> rows;
  std::error_code ignored;
  if (json_ && std::filesystem::exists(out_, ignored)) rows = read_json(out_);
  if (std::filesystem::exists(journal_path(), ignored)) {
    auto journal = read_csv(journal_path(), true);
    rows.insert(rows.end(), journal.begin(), journal.end());
  }
  return rows;
}

void SweepFile::open_journal() {
  const std::filesystem::path path = journal_path();
  journal_ = ::open(path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0666);
  if (journal_ < 0)
    throw OutputError("cannot open '" + path.string() + "': " + std::strerror(errno));
  if (::lseek(journal_, 0, SEEK_END) == 0) append(columns_);
}

// One write(2) per row: a run killed between rows leaves whole lines only.
void SweepFile::append(const SweepRow& row) {
  const std::string line = line_of(row);
  std::size_t done = 0;
  while (done < line.size()) {
    const ssize_t written = ::write(journal_, line.data() + done, line.size() - done);
    if (written < 0 && errno == EINTR) continue;
    if (written <= 0)
      throw OutputError("cannot write '" + journal_path().string() + "': " + std::strerror(errno));
    done += std::size_t(written);
  }
}

void SweepFile::finish(const std::vector<SweepRow>& rows, FileSync sync) {
  if (journal_ >= 0) {
    ::close(journal_);
    journal_ = -1;
  }
  if (!json_) {
    std::string text = line_of(columns_);
    for (const auto& row : rows) text += line_of(row);
    write_text_atomically(out_, text, sync);
    return;
  }
  nlohmann::ordered_json document = nlohmann::ordered_json::array();
  for (const auto& row : rows) {
    nlohmann::ordered_json object;
    for (std::size_t k = 0; k < columns_.size(); ++k)
      object[columns_[k]] =
          json_cell(row[k], k < key_count_ ? key_kind(columns_[k]) : result_kind(columns_[k]));
    document.push_back(std::move(object));
  }
  write_json(out_, std::move(document), sync);
  std::error_code ignored;
  std::filesystem::remove(journal_path(), ignored);
}

}  // namespace footloose
