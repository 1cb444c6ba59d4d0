// acnn-fuse-elementwise: fuse chains of element-wise generics into one loop
// nest, so an intermediate that only feeds the next element-wise step (an SE
// gate's scaled map before the residual add and relu, an epilogue before a
// cast) is never written to memory. Graph fusion merged what it could into
// fused ops; this merges what remains across kernels, at the loop level.
//
// A producer is fused only into its single reader (fusing into several would
// compute it several times), and only in the straight-line body of a
// function: the generics inside attention's streaming loop keep the shape
// their in-place updates of the carried tensors rely on. A producer the
// reader broadcasts (a per-row value read by every element of its row) is
// fused only if it is cheap: fused, it is computed once per element of the
// reader (a LayerNorm's sqrt(var / n + eps) of each row, for each of its 768
// elements: ViT-B's LayerNorms 4.4 -> 4.2 ms a run without; an SE gate's
// sigmoid, for each pixel).
//
// A fused body holds at most max-body-ops ops (256): each fusion copies both
// bodies into a new op, so an unbounded chain costs time quadratic in its
// length (a chain of 100k Relus: 20 minutes here). The largest fused body of
// the zoo's models holds 36 ops; a body that long already keeps its
// intermediates in registers, so a longer one gains little.
#include "compiler/codegen/KernelLocation.h"
#include "compiler/codegen/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace acnn {

#define GEN_PASS_DEF_FUSEELEMENTWISE
#include "compiler/codegen/Passes.h.inc"

using namespace mlir;

namespace {

/// Whether `op` computes something dearer than a few adds and multiplies an
/// element: a division, a square root, a transcendental function.
bool isExpensive(linalg::GenericOp op) {
  return op.getBody()
      ->walk([](Operation *inner) {
        return isa<arith::DivFOp, arith::RemFOp, math::SqrtOp, math::RsqrtOp, math::ExpOp,
                   math::Exp2Op, math::ExpM1Op, math::LogOp, math::Log1pOp, math::PowFOp,
                   math::TanhOp, math::ErfOp>(inner)
                   ? WalkResult::interrupt()
                   : WalkResult::advance();
      })
      .wasInterrupted();
}

struct FuseElementwise : impl::FuseElementwiseBase<FuseElementwise> {
  using FuseElementwiseBase::FuseElementwiseBase;

  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    const int64_t maxOps = maxBodyOps;
    // The kernels whose loops are fused become one kernel, except a kernel
    // with a reduction (a conv whose residual add is fused into the next
    // kernel's relu): its loops stay apart, and the add's few FLOPs stay
    // counted there.
    SmallVector<std::pair<StringAttr, StringAttr>> merged;
    llvm::DenseSet<StringAttr> reducing;
    getOperation().walk([&](linalg::LinalgOp op) {
      if (op.getNumReductionLoops() > 0)
        reducing.insert(kernelNameOf(op->getLoc()));
    });
    linalg::populateElementwiseOpsFusionPatterns(patterns, [&](OpOperand *operand) {
      auto producer = operand->get().getDefiningOp<linalg::GenericOp>();
      auto consumer = dyn_cast<linalg::LinalgOp>(operand->getOwner());
      if (!producer || !consumer)
        return false;
      if (int64_t(producer.getBlock()->getOperations().size() +
                  consumer.getBlock()->getOperations().size()) > maxOps)
        return false;
      if (!consumer.getMatchingIndexingMap(operand).isPermutation() && isExpensive(producer))
        return false;
      // A producer that reads its own output (a running maximum) would stay
      // a second result of the fused op, which the schedules do not take.
      bool fuse = producer->hasOneUse() && isa<func::FuncOp>(producer->getParentOp()) &&
                  isa<func::FuncOp>(consumer->getParentOp()) &&
                  llvm::none_of(producer.getDpsInitsMutable(), [&](OpOperand &init) {
                    return producer.payloadUsesValueFromOperand(&init);
                  });
      StringAttr kernel = kernelNameOf(producer->getLoc());
      if (fuse && !reducing.contains(kernel))
        merged.push_back({kernel, kernelNameOf(consumer->getLoc())});
      return fuse;
    });
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      return signalPassFailure();
    mergeKernelNames(getOperation(), merged);
  }
};

} // namespace
} // namespace acnn
