// Reductions over a set of axes (reduce_*, global pooling). Sums accumulate
// in double.
#include "compiler/interpreter/Indexing.h"
#include "compiler/interpreter/OpKernels.h"

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

} // namespace acnn
