// Matrix products. Dot products accumulate in double.
#include "compiler/interpreter/Indexing.h"
#include "compiler/interpreter/OpKernels.h"

using namespace mlir;

namespace acnn {

Tensor matmul(MatmulOp op, const Tensor &a, const Tensor &b) {
  ArrayRef<int64_t> outShape = resultShape(op);
  const size_t rank = outShape.size();
  const int64_t m = outShape[rank - 2], n = outShape[rank - 1], k = a.shape.back();
  // Batch strides in units of whole matrices, 0 along broadcast batch axes.
  ArrayRef<int64_t> batch = outShape.drop_back(2);
  auto matrixStrides = [&](const Tensor &t, int64_t matrixSize) {
    llvm::SmallVector<int64_t> strides =
        broadcastStrides(llvm::ArrayRef(t.shape).drop_back(2), batch);
    for (int64_t &s : strides)
      s *= matrixSize;
    return strides;
  };
  llvm::SmallVector<int64_t> aStrides = matrixStrides(a, m * k);
  llvm::SmallVector<int64_t> bStrides = matrixStrides(b, k * n);
  llvm::SmallVector<int64_t> outStrides = rowMajorStrides(batch);
  for (int64_t &s : outStrides)
    s *= m * n;

  Tensor out = Tensor::filled(outShape);
  std::vector<double> row(n);
  walkStrided<3>(batch, {0, 0, 0}, {aStrides, bStrides, outStrides},
                 [&](const std::array<int64_t, 3> &o) {
                   const float *lhs = &a.data[o[0]], *rhs = &b.data[o[1]];
                   // Row i of the product as a sum of rows of rhs: every
                   // inner loop is contiguous.
                   for (int64_t i = 0; i < m; ++i) {
                     std::fill(row.begin(), row.end(), 0.0);
                     for (int64_t p = 0; p < k; ++p) {
                       const double coeff = lhs[i * k + p];
                       for (int64_t j = 0; j < n; ++j)
                         row[j] += coeff * rhs[p * n + j];
                     }
                     std::copy(row.begin(), row.end(), &out.data[o[2] + i * n]);
                   }
                 });
  return out;
}

Tensor linear(LinearOp op, const Tensor &x, const Tensor &w, const Tensor *bias) {
  const int64_t n = w.shape[0], k = w.shape[1];
  const int64_t rows = product(llvm::ArrayRef(x.shape).drop_back());
  Tensor out = Tensor::filled(resultShape(op));
  for (int64_t r = 0; r < rows; ++r)
    for (int64_t j = 0; j < n; ++j) {
      double acc = bias ? bias->data[j] : 0.0;
      for (int64_t p = 0; p < k; ++p)
        acc += double(x.data[r * k + p]) * w.data[j * k + p];
      out.data[r * n + j] = float(acc);
    }
  return out;
}

} // namespace acnn
