#include "src/output.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "src/build_info.hpp"
#include "src/format.hpp"

namespace footloose {

namespace {

std::filesystem::path directory_of(const std::filesystem::path& target) {
  return target.parent_path().empty() ? std::filesystem::path(".") : target.parent_path();
}

std::string system_error_text() {
  return std::strerror(errno);
}

// A temporary file that is removed unless it was renamed onto its target.
class TemporaryFile {
 public:
  explicit TemporaryFile(const std::filesystem::path& target) : target_(target) {
    std::string pattern =
        (directory_of(target) / ("." + target.filename().string() + ".tmp-XXXXXX")).string();
    name_.assign(pattern.begin(), pattern.end());
    name_.push_back('\0');
    descriptor_ = ::mkstemp(name_.data());
    if (descriptor_ < 0) fail("cannot create a temporary file in " + directory_of(target).string());
  }
  TemporaryFile(const TemporaryFile&) = delete;
  TemporaryFile& operator=(const TemporaryFile&) = delete;
  ~TemporaryFile() {
    if (descriptor_ >= 0) ::close(descriptor_);
    if (!committed_) ::unlink(name_.data());
  }

  void write(const std::string& text) {
    const char* next = text.data();
    std::size_t left = text.size();
    while (left > 0) {
      const ssize_t written = ::write(descriptor_, next, left);
      if (written < 0 && errno == EINTR) continue;
      if (written <= 0) fail("cannot write");
      next += written;
      left -= static_cast<std::size_t>(written);
    }
  }

  // Give the usual permissions (mkstemp makes 0600), flush to disk if asked, rename onto the
  // target.
  void commit(FileSync sync) {
    const mode_t mask = ::umask(0);
    ::umask(mask);
    if (::fchmod(descriptor_, 0666 & ~mask) != 0) fail("cannot set permissions");
    if (sync == FileSync::yes && ::fsync(descriptor_) != 0) fail("cannot flush");
    const int descriptor = descriptor_;
    descriptor_ = -1;
    if (::close(descriptor) != 0) fail("cannot close");
    if (::rename(name_.data(), target_.c_str()) != 0)
      fail("cannot rename the temporary file onto it");
    committed_ = true;
  }

 private:
  [[noreturn]] void fail(const std::string& what) const {
    throw OutputError("cannot write '" + target_.string() + "': " + what + ": " +
                      system_error_text());
  }

  std::filesystem::path target_;
  std::vector<char> name_;
  int descriptor_ = -1;
  bool committed_ = false;
};

std::string csv_field(const std::string& text) {
  if (text.find_first_of(",\"\n") == std::string::npos) return text;
  std::string quoted = "\"";
  for (char ch : text) quoted += ch == '"' ? std::string("\"\"") : std::string(1, ch);
  return quoted + "\"";
}

}  // namespace

void check_output_directory(const std::filesystem::path& target) {
  if (target.filename().empty())
    throw OutputError("output path '" + target.string() + "' does not name a file");
  std::error_code error;
  if (!std::filesystem::is_directory(directory_of(target), error))
    throw OutputError("output directory '" + directory_of(target).string() + "' does not exist");
}

void write_text_atomically(const std::filesystem::path& target, const std::string& text,
                           FileSync sync) {
  check_output_directory(target);
  TemporaryFile file(target);
  file.write(text);
  file.commit(sync);
}

nlohmann::ordered_json build_info_json() {
  return nlohmann::ordered_json{{"version", kVersion}, {"git_commit", kGitCommit}};
}

void write_json(const std::filesystem::path& target, nlohmann::ordered_json document,
                FileSync sync) {
  if (document.is_object() && !document.contains("footloose"))
    document["footloose"] = build_info_json();  // which program wrote it, for reproducibility
  std::string text = document.dump(2);
  text += '\n';
  write_text_atomically(target, text, sync);
}

std::string csv_text(const CsvTable& table) {
  std::string text;
  for (std::size_t j = 0; j < table.columns.size(); ++j)
    text += (j ? "," : "") + csv_field(table.columns[j]);
  text += "\n";
  for (const auto& row : table.rows) {
    if (row.size() != table.columns.size())
      throw OutputError("CSV row has " + std::to_string(row.size()) + " values for " +
                        std::to_string(table.columns.size()) + " columns");
    for (std::size_t j = 0; j < row.size(); ++j) text += (j ? "," : "") + shortest_text(row[j]);
    text += "\n";
  }
  return text;
}

void write_csv(const std::filesystem::path& target, const CsvTable& table, FileSync sync) {
  write_text_atomically(target, csv_text(table), sync);
}

}  // namespace footloose
