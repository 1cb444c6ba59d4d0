// acnn-widen-partial-writes: a vector.transfer_write into a tensor that covers
// only part of it, with a vector of lower rank than the tensor, gets leading
// unit dims so both ranks match. One-Shot Bufferize (MLIR 22) decides whether
// such a write reads its destination by zipping the tensor's shape with the
// vector's from the front: vector<32xf32> at [0, 0] of tensor<1x34xf32>
// compares 1 with 32 and takes it for a full overwrite, so a write that must
// go out of place got a fresh buffer without the old values (the streaming
// attention's running maximum, split 32 + 2, read 2 uninitialised floats).
// At equal ranks the comparison is right.
#include "compiler/codegen/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/PatternMatch.h"

namespace acnn {

#define GEN_PASS_DEF_WIDENPARTIALWRITES
#include "compiler/codegen/Passes.h.inc"

using namespace mlir;

namespace {

/// Whether bufferisation would take `write` for a full overwrite although the
/// vector covers only part of the tensor: the case above.
bool misjudged(vector::TransferWriteOp write) {
  auto tensor = dyn_cast<RankedTensorType>(write.getShapedType());
  VectorType vector = write.getVectorType();
  if (!tensor || !tensor.hasStaticShape() || write.getMask() ||
      vector.getRank() >= tensor.getRank() || !write.getPermutationMap().isMinorIdentity())
    return false;
  if (!llvm::all_of(write.getIndices(), [](Value i) { return getConstantIntValue(i) == 0; }))
    return false;
  // Covered: every vector dim spans the tensor dim it writes (the trailing ones).
  ArrayRef<int64_t> dims = tensor.getShape().take_back(vector.getRank());
  bool covers =
      llvm::all_of(llvm::zip(dims, vector.getShape()),
                   [](auto d) { return std::get<1>(d) >= std::get<0>(d); }) &&
      llvm::all_of(tensor.getShape().drop_back(vector.getRank()), [](int64_t d) { return d == 1; });
  return !covers;
}

struct WidenPartialWrites : impl::WidenPartialWritesBase<WidenPartialWrites> {
  void runOnOperation() override {
    SmallVector<vector::TransferWriteOp> writes;
    getOperation().walk([&](vector::TransferWriteOp write) {
      if (misjudged(write))
        writes.push_back(write);
    });
    IRRewriter rewriter(&getContext());
    for (vector::TransferWriteOp write : writes) {
      rewriter.setInsertionPoint(write);
      auto tensor = cast<RankedTensorType>(write.getShapedType());
      VectorType vector = write.getVectorType();
      int64_t extra = tensor.getRank() - vector.getRank();
      SmallVector<int64_t> shape(extra, 1);
      llvm::append_range(shape, vector.getShape());
      Value wide = vector::ShapeCastOp::create(rewriter, write.getLoc(),
                                               VectorType::get(shape, vector.getElementType()),
                                               write.getVector());
      SmallVector<bool> inBounds(extra, true);
      for (int64_t i = 0; i < vector.getRank(); ++i)
        inBounds.push_back(write.isDimInBounds(i));
      rewriter.replaceOpWithNewOp<vector::TransferWriteOp>(write, wide, write.getBase(),
                                                           write.getIndices(), inBounds);
    }
  }
};

} // namespace

} // namespace acnn
