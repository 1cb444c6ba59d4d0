// Reductions over a set of axes (reduce_*, global pooling, argmax). Sums
// accumulate in double.
#include "compiler/interpreter/Indexing.h"
#include "compiler/interpreter/OpKernels.h"
#include "dialects/acnn/ShapeUtils.h"

#include <cmath>
#include <limits>

namespace acnn {

Tensor reduce(const Tensor &x, llvm::ArrayRef<int64_t> axes, Reduction kind,
              llvm::ArrayRef<int64_t> shape) {
  // Walk the input once; the accumulator is indexed as the keepdims shape,
  // whose reduced axes get stride 0. Dropping them (keepdims = false) keeps
  // the row-major order, so the accumulator is also the result's data.
  llvm::SmallVector<int64_t> kept(x.shape.begin(), x.shape.end());
  int64_t count = 1;
  for (int64_t a : axes) {
    count *= kept[a];
    kept[a] = 1;
  }
  llvm::SmallVector<int64_t> accStrides = rowMajorStrides(kept);
  for (int64_t a : axes)
    accStrides[a] = 0;
  llvm::SmallVector<int64_t> inStrides = rowMajorStrides(x.shape);

  const double init = kind == Reduction::Max ? -std::numeric_limits<double>::infinity() : 0.0;
  std::vector<double> acc(product(kept), init);
  walkStrided<2>(x.shape, {0, 0}, {inStrides, accStrides}, [&](const std::array<int64_t, 2> &o) {
    double v = x.data[o[0]];
    acc[o[1]] = kind == Reduction::Max ? nanMax(acc[o[1]], v) : acc[o[1]] + v;
  });

  Tensor out = Tensor::filled(shape);
  for (size_t i = 0; i < acc.size(); ++i)
    out.data[i] = float(kind == Reduction::Mean ? acc[i] / count : acc[i]);
  return out;
}

Tensor argMax(ArgMaxOp op, const Tensor &x, llvm::ArrayRef<int64_t> shape) {
  const int64_t axis = *normalizeAxis(op.getAxis(), x.shape.size());
  const int64_t outer = product(llvm::ArrayRef(x.shape).take_front(axis)), n = x.shape[axis],
                inner = product(llvm::ArrayRef(x.shape).drop_front(axis + 1));
  const bool last = op.getSelectLastIndex();
  // A NaN beats any number, as in PyTorch; among equals the first or last wins.
  auto better = [&](float v, float best) {
    if (std::isnan(v) || std::isnan(best))
      return std::isnan(v) && (!std::isnan(best) || last);
    return v > best || (last && v == best);
  };
  Tensor out = Tensor::filled(shape);
  for (int64_t o = 0; o < outer; ++o)
    for (int64_t i = 0; i < inner; ++i) {
      const float *row = x.data.data() + o * n * inner + i;
      int64_t best = 0;
      for (int64_t k = 1; k < n; ++k)
        if (better(row[k * inner], row[best * inner]))
          best = k;
      out.data[o * inner + i] = float(best);
    }
  return out;
}

} // namespace acnn
