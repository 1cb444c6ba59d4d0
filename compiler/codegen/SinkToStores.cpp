// acnn-sink-to-stores: each pure op just before the first effectful op that
// needs it, so unrolled tiles are computed slice by slice.
#include "compiler/codegen/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Block.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "mlir/Transforms/RegionUtils.h"
#include "llvm/ADT/SmallPtrSet.h"

namespace acnn {

#define GEN_PASS_DEF_SINKTOSTORES
#include "compiler/codegen/Passes.h.inc"

using namespace mlir;

namespace {

bool movable(Operation *op) {
  return op->getNumRegions() == 0 && !op->hasTrait<OpTrait::IsTerminator>() &&
         isMemoryEffectFree(op);
}

/// Moves the not yet placed movable ops of `block` that `root` needs before
/// it, operands first. Each moved op lands before the first root needing it,
/// and its users are moved ops placed after it or later roots, so the order
/// stays valid.
void sinkInto(Operation *root, Block &block, llvm::SmallPtrSetImpl<Operation *> &placed) {
  // Operands first, each value's tree to completion before the next (an op
  // seen but not moved yet is then always an ancestor on the stack, never a
  // sibling that would land after its user). Iterative: chains are long.
  SmallVector<std::pair<Operation *, unsigned>> stack;
  auto push = [&](Value v) {
    Operation *def = v.getDefiningOp();
    if (def && def->getBlock() == &block && movable(def) && placed.insert(def).second)
      stack.push_back({def, 0});
  };
  auto place = [&](Value v) {
    push(v);
    while (!stack.empty()) {
      auto &[op, next] = stack.back();
      if (next < op->getNumOperands()) {
        push(op->getOperand(next++));
        continue;
      }
      op->moveBefore(root);
      stack.pop_back();
    }
  };
  // Ops inside a root's regions read values of this block too.
  root->walk([&](Operation *op) {
    for (Value v : op->getOperands())
      place(v);
  });
}

struct SinkToStores : impl::SinkToStoresBase<SinkToStores> {
  void runOnOperation() override {
    getOperation().walk([](Block *block) {
      // Only blocks that store: a reduction loop's body ends in a yield of
      // its accumulators, and reordering its FMAs by accumulator would chain
      // dependent ones back to back.
      if (llvm::none_of(*block, [](Operation &op) {
            return hasEffect<MemoryEffects::Write>(&op) && op.getNumRegions() == 0;
          }))
        return;
      // Dead ops would keep their place and see operands move below them.
      for (Operation &op : llvm::make_early_inc_range(llvm::reverse(*block)))
        if (isOpTriviallyDead(&op))
          op.erase();
      SmallVector<Operation *> roots;
      for (Operation &op : *block)
        if (!movable(&op))
          roots.push_back(&op);
      llvm::SmallPtrSet<Operation *, 32> placed;
      for (Operation *root : roots)
        sinkInto(root, *block, placed);
    });
  }
};

} // namespace
} // namespace acnn
