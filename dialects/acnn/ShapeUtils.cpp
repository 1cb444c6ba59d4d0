#include "dialects/acnn/ShapeUtils.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/MathExtras.h"

namespace acnn {

std::optional<int64_t> normalizeAxis(int64_t axis, int64_t rank) {
  if (axis < 0)
    axis += rank;
  if (axis < 0 || axis >= rank)
    return std::nullopt;
  return axis;
}

llvm::SmallVector<int64_t> reducedShape(llvm::ArrayRef<int64_t> in, llvm::ArrayRef<bool> reduced,
                                        bool keepdims) {
  llvm::SmallVector<int64_t> shape;
  for (auto [d, r] : llvm::zip_equal(in, reduced)) {
    if (!r)
      shape.push_back(d);
    else if (keepdims)
      shape.push_back(1);
  }
  return shape;
}

std::optional<llvm::SmallVector<int64_t>> argMaxShape(llvm::ArrayRef<int64_t> in, int64_t axis,
                                                      bool keepdims) {
  std::optional<int64_t> a = normalizeAxis(axis, in.size());
  if (!a)
    return std::nullopt;
  llvm::SmallVector<bool> reduced(in.size(), false);
  reduced[*a] = true;
  return reducedShape(in, reduced, keepdims);
}

int64_t product(llvm::ArrayRef<int64_t> shape) {
  int64_t n = 1;
  for (int64_t d : shape)
    n *= d;
  return n;
}

std::optional<int64_t> checkedProduct(llvm::ArrayRef<int64_t> shape) {
  if (llvm::any_of(shape, [](int64_t d) { return d < 0; }))
    return std::nullopt;
  // No elements, however long the other dims.
  if (llvm::is_contained(shape, 0))
    return 0;
  int64_t n = 1;
  for (int64_t d : shape)
    if (llvm::MulOverflow(n, d, n))
      return std::nullopt;
  return n;
}

std::optional<std::string> oversizeReason(llvm::ArrayRef<int64_t> shape) {
  if (llvm::any_of(shape, [](int64_t d) { return d < 0; }))
    return std::nullopt;
  std::optional<int64_t> n = checkedProduct(shape);
  if (!n)
    return "shape " + formatShape(shape) + " has more elements than an int64 can count";
  if (*n > kMaxTensorElements)
    return "shape " + formatShape(shape) + " has " + std::to_string(*n) +
           " elements, more than the 2^31 (8 GiB of f32) acnn allows in one tensor";
  return std::nullopt;
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
    // Rounded up without adding step, which may be near INT64_MAX.
    return end > start ? (end - start - 1) / step + 1 : 0;
  }
  if (step < 0) {
    if (start < -1 || start >= extent || end < -1 || end >= extent)
      return std::nullopt;
    // -INT64_MIN overflows; a step that long takes one element.
    if (start > end)
      return step == INT64_MIN ? 1 : (start - end - 1) / -step + 1;
    return 0;
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
