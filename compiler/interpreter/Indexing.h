#ifndef ACNN_COMPILER_INTERPRETER_INDEXING_H
#define ACNN_COMPILER_INTERPRETER_INDEXING_H

// Strided iteration shared by the kernels that map one index space onto
// others (broadcasting, transposes, slices, reductions, batched matmul).

#include "dialects/acnn/ShapeUtils.h"

#include <array>
#include <utility>

namespace acnn {

/// Visits every index of `shape` in row-major order and calls `visit(offsets)`
/// with offsets[k] = base[k] + sum over d of index[d] * strides[k][d]. An
/// odometer keeps the offsets up to date, so no index is ever divided out.
template <size_t K, typename Visit>
void walkStrided(llvm::ArrayRef<int64_t> shape, std::array<int64_t, K> base,
                 std::array<llvm::ArrayRef<int64_t>, K> strides, Visit visit) {
  if (product(shape) == 0)
    return;
  llvm::SmallVector<int64_t> index(shape.size(), 0);
  std::array<int64_t, K> offsets = base;
  while (true) {
    visit(std::as_const(offsets));
    int64_t d = int64_t(shape.size()) - 1;
    for (; d >= 0; --d) {
      for (size_t k = 0; k < K; ++k)
        offsets[k] += strides[k][d];
      if (++index[d] < shape[d])
        break;
      for (size_t k = 0; k < K; ++k)
        offsets[k] -= strides[k][d] * shape[d];
      index[d] = 0;
    }
    if (d < 0)
      return;
  }
}

/// Strides that read a tensor of shape `in` at each index of the NumPy
/// broadcast shape `out`: axes `in` lacks or has as 1 get stride 0.
inline llvm::SmallVector<int64_t> broadcastStrides(llvm::ArrayRef<int64_t> in,
                                                   llvm::ArrayRef<int64_t> out) {
  llvm::SmallVector<int64_t> inStrides = rowMajorStrides(in);
  llvm::SmallVector<int64_t> strides(out.size(), 0);
  size_t lead = out.size() - in.size();
  for (size_t i = 0; i < in.size(); ++i)
    if (in[i] != 1)
      strides[lead + i] = inStrides[i];
  return strides;
}

} // namespace acnn

#endif
