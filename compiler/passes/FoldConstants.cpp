// acnn-fold-constants: evaluates ops whose operands are all acnn.constant
// with the reference interpreter's kernels, so backends see weights already
// transposed, reshaped or combined.
#include "compiler/interpreter/Kernels.h"
#include "compiler/passes/Passes.h"
#include "dialects/acnn/AcnnOps.h"

#include "mlir/IR/Builders.h"
#include "llvm/ADT/SetVector.h"

namespace acnn {

#define GEN_PASS_DEF_FOLDCONSTANTS
#include "compiler/passes/Passes.h.inc"

namespace {

using namespace mlir;

/// Results up to this many elements always fold, whatever their inputs.
constexpr int64_t kSmallResultElements = 1 << 16;

/// Folding trades run-time work for constant storage. That is a win unless the
/// result is much larger than what it replaces: a scalar broadcast to an
/// activation-sized tensor, or an outer product, would swell the weights
/// embedded in the artifact (and compile-time memory) to save a cheap
/// broadcast. So a result may be up to twice as large as its inputs together
/// (ConViT's positional scores project a constant 196x196x3 table to 4
/// heads, then softmax them: four kernels a block, all constant), or small.
bool worthFolding(Operation *op) {
  int64_t in = 0, out = 0;
  for (Value v : op->getOperands())
    in += llvm::cast<ShapedType>(v.getType()).getNumElements();
  for (Value v : op->getResults())
    out += llvm::cast<ShapedType>(v.getType()).getNumElements();
  return out <= std::max(2 * in, kSmallResultElements);
}

struct FoldConstants : impl::FoldConstantsBase<FoldConstants> {
  void runOnOperation() override {
    // Program order, so a folded result makes its users foldable in turn.
    for (Block &block : getOperation().getBody())
      for (Operation &op : llvm::make_early_inc_range(block))
        fold(&op);
  }

  void fold(Operation *op) {
    if (!llvm::isa_and_present<AcnnDialect>(op->getDialect()) || llvm::isa<ConstantOp>(op) ||
        op->getNumOperands() == 0 || !worthFolding(op))
      return;
    llvm::SmallVector<ConstantOp> producers;
    for (Value v : op->getOperands()) {
      auto producer = v.getDefiningOp<ConstantOp>();
      if (!producer)
        return;
      producers.push_back(producer);
    }

    std::vector<Tensor> storage;
    storage.reserve(producers.size());
    llvm::SmallVector<Location> locs{op->getLoc()};
    for (ConstantOp producer : producers) {
      llvm::Expected<Tensor> t = tensorFromAttr(producer.getValue());
      if (!t) {
        op->emitWarning("not folded: ") << llvm::toString(t.takeError());
        return;
      }
      storage.push_back(std::move(*t));
      locs.push_back(producer.getLoc());
    }
    llvm::SmallVector<const Tensor *> operands;
    for (const Tensor &t : storage)
      operands.push_back(&t);
    llvm::SmallVector<Tensor> results;
    if (llvm::Error e = evaluate(op, operands, results)) {
      op->emitWarning("not folded: ") << llvm::toString(std::move(e));
      return;
    }

    // The op's location first, so diagnostics keep naming the node; the
    // weights it was computed from follow.
    OpBuilder b(op);
    Location loc = FusedLoc::get(&getContext(), locs);
    for (auto [result, value] : llvm::zip_equal(op->getResults(), results))
      result.replaceAllUsesWith(ConstantOp::create(b, loc, tensorToAttr(value, &getContext())));
    op->erase();
    // A constant may feed several operands; erase each at most once.
    for (Operation *producer : llvm::SmallSetVector<Operation *, 4>(producers.begin(),
                                                                    producers.end()))
      if (producer->use_empty())
        producer->erase();
  }
};

} // namespace
} // namespace acnn
