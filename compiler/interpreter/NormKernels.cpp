// Normalisations: batch norm (inference), layer norm, group norm and softmax. Statistics
// accumulate in double.
#include "compiler/interpreter/OpKernels.h"
#include "dialects/acnn/ShapeUtils.h"

#include "llvm/ADT/STLFunctionalExtras.h"

#include <limits>

using namespace mlir;

namespace acnn {

Tensor batchNorm(BatchNormOp op, const Tensor &x, const Tensor &scale, const Tensor &bias,
                 const Tensor &mean, const Tensor &variance) {
  const int64_t c = x.shape[1], inner = product(llvm::ArrayRef(x.shape).drop_front(2));
  const double eps = op.getEpsilon().convertToFloat();
  Tensor out = Tensor::filled(x.shape);
  for (int64_t i = 0; i < x.numel(); ++i) {
    int64_t ch = (i / inner) % c;
    double norm = (x.data[i] - double(mean.data[ch])) / std::sqrt(variance.data[ch] + eps);
    out.data[i] = float(norm * scale.data[ch] + bias.data[ch]);
  }
  return out;
}

/// `x` normalised row by row (rows of `width` consecutive elements) by the
/// row's mean and biased variance, element i then mapped by `affine(i, v)`.
static Tensor normalizeRows(const Tensor &x, int64_t width, double eps,
                            llvm::function_ref<double(int64_t, double)> affine) {
  Tensor out = Tensor::filled(x.shape);
  for (int64_t base = 0; base < x.numel(); base += width) {
    const float *row = &x.data[base];
    double mean = 0, var = 0;
    for (int64_t j = 0; j < width; ++j)
      mean += row[j];
    mean /= width;
    // Two passes: the biased variance of centred values, as PyTorch computes it.
    for (int64_t j = 0; j < width; ++j)
      var += (row[j] - mean) * (row[j] - mean);
    const double invStd = 1.0 / std::sqrt(var / width + eps);
    for (int64_t j = 0; j < width; ++j)
      out.data[base + j] = float(affine(base + j, (row[j] - mean) * invStd));
  }
  return out;
}

Tensor layerNorm(LayerNormOp op, const Tensor &x, const Tensor &scale, const Tensor *bias) {
  const int64_t axis = *normalizeAxis(op.getAxis(), x.shape.size());
  const int64_t inner = product(llvm::ArrayRef(x.shape).drop_front(axis));
  return normalizeRows(x, inner, op.getEpsilon().convertToFloat(), [&](int64_t i, double v) {
    const int64_t j = i % inner;
    return v * scale.data[j] + (bias ? bias->data[j] : 0.0);
  });
}

Tensor groupNorm(GroupNormOp op, const Tensor &x, const Tensor &scale, const Tensor *bias) {
  const int64_t channels = x.shape[1], groups = op.getGroups();
  const int64_t inner = product(llvm::ArrayRef(x.shape).drop_front(2));
  // A group's channels are consecutive: each group is a row.
  return normalizeRows(x, channels / groups * inner, op.getEpsilon().convertToFloat(),
                       [&](int64_t i, double v) {
                         const int64_t c = i / inner % channels;
                         return v * scale.data[c] + (bias ? bias->data[c] : 0.0);
                       });
}

Tensor softmax(SoftmaxOp op, const Tensor &x) {
  const int64_t axis = *normalizeAxis(op.getAxis(), x.shape.size());
  const int64_t extent = x.shape[axis];
  const int64_t inner = product(llvm::ArrayRef(x.shape).drop_front(axis + 1));
  const int64_t outer = product(llvm::ArrayRef(x.shape).take_front(axis));
  Tensor out = Tensor::filled(x.shape);
  for (int64_t o = 0; o < outer; ++o)
    for (int64_t i = 0; i < inner; ++i) {
      const int64_t base = o * extent * inner + i;
      // Subtracting the maximum keeps exp from overflowing.
      double max = -std::numeric_limits<double>::infinity();
      for (int64_t j = 0; j < extent; ++j)
        max = nanMax(max, double(x.data[base + j * inner]));
      double sum = 0;
      for (int64_t j = 0; j < extent; ++j)
        sum += std::exp(x.data[base + j * inner] - max);
      for (int64_t j = 0; j < extent; ++j)
        out.data[base + j * inner] = float(std::exp(x.data[base + j * inner] - max) / sum);
    }
  return out;
}

} // namespace acnn
