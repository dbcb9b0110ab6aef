// RAII ownership of SUNDIALS 6 objects: context, serial vectors. Generic numerics only.
#pragma once

#include <nvector/nvector_serial.h>
#include <sundials/sundials_context.h>
#include <sundials/sundials_linearsolver.h>
#include <sundials/sundials_matrix.h>

#include <memory>
#include <stdexcept>

namespace footloose::solvers {

class SundialsContext {
 public:
  SundialsContext() {
    if (SUNContext_Create(nullptr, &ctx_) != 0)
      throw std::runtime_error("SUNContext_Create failed");
  }
  ~SundialsContext() { SUNContext_Free(&ctx_); }
  SundialsContext(const SundialsContext&) = delete;
  SundialsContext& operator=(const SundialsContext&) = delete;
  operator SUNContext() const { return ctx_; }

 private:
  SUNContext ctx_ = nullptr;
};

struct NVectorDeleter {
  void operator()(_generic_N_Vector* v) const { N_VDestroy(v); }
};
using NVectorPtr = std::unique_ptr<_generic_N_Vector, NVectorDeleter>;

inline NVectorPtr make_serial_vector(long length, SUNContext ctx) {
  N_Vector v = N_VNew_Serial(length, ctx);
  if (!v) throw std::runtime_error("N_VNew_Serial failed");
  N_VConst(0.0, v);
  return NVectorPtr(v);
}

}  // namespace footloose::solvers
