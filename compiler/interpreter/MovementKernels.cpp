// Data movement: ops that copy elements without arithmetic.
#include "compiler/interpreter/Indexing.h"
#include "compiler/interpreter/OpKernels.h"

using namespace mlir;

namespace acnn {

namespace {

/// Elements before and after `axis`: a tensor seen as [outer, shape[axis], inner].
std::pair<int64_t, int64_t> outerInner(ArrayRef<int64_t> shape, int64_t axis) {
  return {product(shape.take_front(axis)), product(shape.drop_front(axis + 1))};
}

/// Copies every element of `x` at the offsets `strides` and `base` give, in
/// the row-major order of `shape`.
Tensor gatherStrided(const Tensor &x, ArrayRef<int64_t> shape, int64_t base,
                     ArrayRef<int64_t> strides) {
  Tensor out = Tensor::filled(shape);
  int64_t i = 0;
  walkStrided<1>(shape, {base}, {strides},
                 [&](const std::array<int64_t, 1> &o) { out.data[i++] = x.data[o[0]]; });
  return out;
}

} // namespace

Tensor concat(ConcatOp op, ArrayRef<const Tensor *> inputs) {
  ArrayRef<int64_t> shape = resultShape(op);
  const int64_t axis = *normalizeAxis(op.getAxis(), shape.size());
  auto [outer, inner] = outerInner(shape, axis);
  Tensor out = Tensor::filled(shape);
  float *dst = out.data.data();
  for (int64_t o = 0; o < outer; ++o)
    for (const Tensor *in : inputs) {
      const int64_t block = in->shape[axis] * inner;
      dst = std::copy_n(in->data.data() + o * block, block, dst);
    }
  return out;
}

std::vector<Tensor> split(SplitOp op, const Tensor &x) {
  const int64_t axis = *normalizeAxis(op.getAxis(), x.shape.size());
  auto [outer, inner] = outerInner(x.shape, axis);
  std::vector<Tensor> outs;
  int64_t offset = 0; // of the piece along `axis`
  for (auto [i, size] : llvm::enumerate(op.getSizes())) {
    Tensor piece = Tensor::filled(resultShape(op, i));
    for (int64_t o = 0; o < outer; ++o)
      // Pointers, not &data[i]: a piece may be empty (ONNX allows zero-size splits).
      std::copy_n(x.data.data() + (o * x.shape[axis] + offset) * inner, size * inner,
                  piece.data.data() + o * size * inner);
    offset += size;
    outs.push_back(std::move(piece));
  }
  return outs;
}

Tensor slice(SliceOp op, const Tensor &x) {
  llvm::SmallVector<int64_t> strides = rowMajorStrides(x.shape);
  int64_t base = 0;
  for (size_t i = 0; i < strides.size(); ++i) {
    base += op.getStarts()[i] * strides[i];
    strides[i] *= op.getSteps()[i];
  }
  return gatherStrided(x, resultShape(op), base, strides);
}

Tensor gather(GatherOp op, const Tensor &x) {
  const int64_t axis = *normalizeAxis(op.getAxis(), x.shape.size());
  const int64_t extent = x.shape[axis];
  auto [outer, inner] = outerInner(x.shape, axis);
  llvm::SmallVector<int64_t> indices;
  for (int64_t index : op.getIndices().getValues<int64_t>())
    indices.push_back(index < 0 ? index + extent : index); // from the end, as in ONNX
  Tensor out = Tensor::filled(resultShape(op));
  float *dst = out.data.data();
  for (int64_t o = 0; o < outer; ++o)
    for (int64_t index : indices)
      dst = std::copy_n(&x.data[(o * extent + index) * inner], inner, dst);
  return out;
}

Tensor transpose(TransposeOp op, const Tensor &x) {
  llvm::SmallVector<int64_t> inStrides = rowMajorStrides(x.shape);
  llvm::SmallVector<int64_t> strides;
  for (int64_t p : op.getPerm())
    strides.push_back(inStrides[p]);
  return gatherStrided(x, resultShape(op), 0, strides);
}

Tensor expand(ExpandOp op, const Tensor &x) {
  ArrayRef<int64_t> shape = resultShape(op);
  return gatherStrided(x, shape, 0, broadcastStrides(x.shape, shape));
}

Tensor pad(PadOp op, const Tensor &x) {
  ArrayRef<int64_t> shape = resultShape(op);
  Tensor out = Tensor::filled(shape, op.getValue().convertToFloat());
  // Each input element goes to its index shifted by the leading pads.
  llvm::SmallVector<int64_t> strides = rowMajorStrides(shape);
  int64_t base = 0;
  for (size_t i = 0; i < strides.size(); ++i)
    base += op.getPads()[i] * strides[i];
  int64_t i = 0;
  walkStrided<1>(x.shape, {base}, {strides},
                 [&](const std::array<int64_t, 1> &o) { out.data[o[0]] = x.data[i++]; });
  return out;
}

Tensor reinterpret(Operation *op, const Tensor &x) {
  ArrayRef<int64_t> shape = resultShape(op);
  return Tensor{std::vector<int64_t>(shape.begin(), shape.end()), x.data};
}

} // namespace acnn
