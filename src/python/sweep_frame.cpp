// footloose.sweep: the sweep of `footloose sweep` (src/sweep_grid.hpp, src/sweep_runner.hpp) from
// Python — a grid dict (the grid file's format) or a pandas DataFrame of points — returned as a
// pandas DataFrame with the CLI's columns. Solved on this process's threads, GIL released.
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>
#include <toml++/toml.h>

#include <atomic>
#include <cmath>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "src/python/path_bridge.hpp"
#include "src/sweep_cluster.hpp"
#include "src/sweep_grid.hpp"
#include "src/sweep_output.hpp"
#include "src/sweep_runner.hpp"

namespace py = pybind11;

namespace footloose::python {

namespace {

// A Python scalar as a TOML value (bool before int: bool is an int in Python).
void insert_scalar(toml::table& table, const std::string& key, const py::handle& value) {
  if (PyBool_Check(value.ptr()))
    table.insert(key, value.cast<bool>());
  else if (PyLong_Check(value.ptr()))
    table.insert(key, value.cast<std::int64_t>());
  else if (PyFloat_Check(value.ptr()))
    table.insert(key, value.cast<double>());
  else if (PyUnicode_Check(value.ptr()))
    table.insert(key, value.cast<std::string>());
  else if (py::hasattr(value, "item"))
    insert_scalar(table, key, value.attr("item")());  // numpy
  else
    throw py::type_error("sweep grid: key '" + key + "': " + py::repr(value).cast<std::string>() +
                         " is not a number, a string, a list or a range dict");
}

// The grid dict as the text of a grid file: scalar, list (or tuple, numpy array) or range dict.
std::string grid_toml_text(const py::dict& grid) {
  toml::table table;
  for (const auto& [key_object, value] : grid) {
    const std::string key = py::str(key_object).cast<std::string>();
    if (PyDict_Check(value.ptr())) {
      toml::table range;
      for (const auto& [k, v] : value.cast<py::dict>())
        insert_scalar(range, py::str(k).cast<std::string>(), v);
      table.insert(key, std::move(range));
    } else if (PyList_Check(value.ptr()) || PyTuple_Check(value.ptr()) ||
               (py::hasattr(value, "tolist") && py::hasattr(value, "ndim") &&
                value.attr("ndim").cast<int>() == 1)) {
      const py::list items = PyList_Check(value.ptr()) || PyTuple_Check(value.ptr())
                                 ? py::list(py::reinterpret_borrow<py::object>(value))
                                 : value.attr("tolist")().cast<py::list>();
      toml::table holder;  // insert_scalar's conversions, then moved into the array
      toml::array array;
      for (std::size_t i = 0; i < items.size(); ++i) {
        insert_scalar(holder, "x", items[i]);
        array.push_back(*holder.get("x"));
        holder.erase("x");
      }
      table.insert(key, std::move(array));
    } else {
      insert_scalar(table, key, value);
    }
  }
  std::ostringstream text;
  text << table;
  return text.str();
}

// A cell of a sweep row as a Python value: a number ("nan" included), true/false, or the word.
py::object cell_value(const std::string& cell) {
  if (cell == "true") return py::bool_(true);
  if (cell == "false") return py::bool_(false);
  try {
    std::size_t used = 0;
    const double x = std::stod(cell, &used);
    if (used == cell.size()) return py::float_(x);
  } catch (const std::exception&) {
  }
  return py::str(cell);
}

py::object sweep(const py::object& grid, int jobs) {
  const py::module_ pandas = py::module_::import("pandas");
  SweepSpace space =
      py::isinstance(grid, pandas.attr("DataFrame"))
          ? SweepSpace::from_points_text(
                grid.attr("to_csv")(py::arg("index") = false).cast<std::string>(), "<DataFrame>")
      : PyDict_Check(grid.ptr())
          ? SweepSpace::from_grid_text(grid_toml_text(grid.cast<py::dict>()), "<grid dict>")
          : throw py::type_error("sweep: grid must be a dict (grid format) or a pandas DataFrame");
  std::vector<SweepRow> rows(space.size());
  {
    py::gil_scoped_release release;
    SweepCluster this_process;
    SweepRunSettings settings;
    settings.threads =
        jobs > 0 ? jobs : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    std::atomic<bool> stop{false};
    run_sweep_chains(
        this_process, space, space.chains(), settings,
        [&](std::size_t point, SweepRow row) { rows[point] = std::move(row); }, stop);
  }
  std::vector<std::string> columns = space.columns();
  for (const std::string& c : sweep_result_columns()) columns.push_back(c);
  py::dict data;
  for (std::size_t j = 0; j < columns.size(); ++j) {
    py::list column;
    for (const SweepRow& row : rows)
      column.append(j < row.size() ? cell_value(row[j]) : py::none());
    data[py::str(columns[j])] = column;
  }
  return pandas.attr("DataFrame")(data, py::arg("columns") = columns);
}

}  // namespace

void add_sweep(py::module_& m) {
  m.def("sweep", &sweep, py::arg("grid"), py::kw_only(), py::arg("jobs") = 0,
        "Solve many paths: grid is a dict in the format of a `footloose sweep` grid file (a scalar "
        "is fixed, a list is that list, a dict {'from', 'to', 'n', 'scale': 'linear'|'log'} is a "
        "range; the product of all lists and ranges) or a pandas DataFrame with one point per row "
        "(config keys as columns). Returns a pandas DataFrame, one row per point in grid order, "
        "with the varying keys, then sn_inf, sk_inf, aR_inf, moved_share, lambda_R, converged, "
        "trustworthy, "
        "termination, error_estimate, seconds (failed and flagged points are rows too). Points "
        "are solved in warm-started chains on `jobs` threads (0: all cores), the GIL released. "
        "Bad grids raise ConfigError naming the key before anything is solved.");
}

}  // namespace footloose::python
