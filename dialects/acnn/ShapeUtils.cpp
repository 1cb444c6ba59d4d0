#include "dialects/acnn/ShapeUtils.h"

#include "llvm/ADT/STLExtras.h"

namespace acnn {

std::optional<int64_t> normalizeAxis(int64_t axis, int64_t rank) {
  if (axis < 0)
    axis += rank;
  if (axis < 0 || axis >= rank)
    return std::nullopt;
  return axis;
}

int64_t product(llvm::ArrayRef<int64_t> shape) {
  int64_t n = 1;
  for (int64_t d : shape)
    n *= d;
  return n;
}

bool isPermutation(llvm::ArrayRef<int64_t> perm, int64_t rank) {
  if (int64_t(perm.size()) != rank)
    return false;
  llvm::SmallVector<bool> seen(rank, false);
  for (int64_t p : perm) {
    if (p < 0 || p >= rank || seen[p])
      return false;
    seen[p] = true;
  }
  return true;
}

std::optional<int64_t> sliceExtent(int64_t extent, int64_t start, int64_t end, int64_t step) {
  if (step > 0) {
    if (start < 0 || start > extent || end < 0 || end > extent)
      return std::nullopt;
    return end > start ? (end - start + step - 1) / step : 0;
  }
  if (step < 0) {
    if (start < -1 || start >= extent || end < -1 || end >= extent)
      return std::nullopt;
    return start > end ? (start - end - step - 1) / -step : 0;
  }
  return std::nullopt;
}

std::string formatShape(llvm::ArrayRef<int64_t> shape) {
  std::string s = "[";
  for (auto [i, d] : llvm::enumerate(shape))
    s += (i ? ", " : "") + std::to_string(d);
  return s + "]";
}

llvm::SmallVector<int64_t> rowMajorStrides(llvm::ArrayRef<int64_t> shape) {
  llvm::SmallVector<int64_t> strides(shape.size(), 1);
  for (int64_t i = int64_t(shape.size()) - 2; i >= 0; --i)
    strides[i] = strides[i + 1] * shape[i + 1];
  return strides;
}

bool isActivation(llvm::StringRef name) {
  return llvm::is_contained({"none", "relu", "relu6", "sigmoid", "tanh", "silu", "gelu",
                             "gelu_tanh", "hard_swish"},
                            name);
}

} // namespace acnn
