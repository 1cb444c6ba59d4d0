// acnn-roll-main-loops: the loops @main runs on one thread that only move
// memory (concat copies, padding borders) keep their LLVM loop rolled. LLVM
// would unroll each small constant-trip loop in full: DenseNet's 7x7 concat
// copies and 229-row borders became basic blocks of thousands of
// instructions, and LLVM's machine scheduler is quadratic in a block's length
// (DenseNet-169 compiled in 147 s, a third of it scheduling @main). Unrolled,
// they run no faster. A loop that computes (a serial kernel's reduction, any
// floating-point op) and the kernels' worksharing loops keep LLVM's choice.
#include "compiler/codegen/Passes.h"

#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/OpenMP/OpenMPDialect.h"
#include "mlir/IR/Dominance.h"
#include "llvm/ADT/SmallPtrSet.h"

namespace acnn {

#define GEN_PASS_DEF_ROLLMAINLOOPS
#include "compiler/codegen/Passes.h.inc"

using namespace mlir;

namespace {

/// Whether the loop `latch` closes (its blocks: those reaching the latch
/// without passing the header) does floating-point arithmetic, which every
/// LLVM floating-point op and intrinsic marks with fastmath flags.
bool computes(Block *latch, DominanceInfo &dominance) {
  Block *header = nullptr;
  for (Block *to : latch->getSuccessors())
    if (dominance.dominates(to, latch))
      header = to;
  llvm::SmallPtrSet<Block *, 16> body = {header, latch};
  SmallVector<Block *> work = {latch};
  while (!work.empty())
    for (Block *pred : work.pop_back_val()->getPredecessors())
      if (body.insert(pred).second)
        work.push_back(pred);
  for (Block *block : body) {
    WalkResult found = block->walk([](Operation *op) {
      return isa<LLVM::FastmathFlagsInterface>(op) ? WalkResult::interrupt()
                                                   : WalkResult::advance();
    });
    if (found.wasInterrupted())
      return true;
  }
  return false;
}

struct RollMainLoops : impl::RollMainLoopsBase<RollMainLoops> {
  void runOnOperation() override {
    auto main = getOperation().lookupSymbol<LLVM::LLVMFuncOp>("main");
    if (!main || main.isExternal()) {
      getOperation().emitError("acnn-roll-main-loops: no LLVM @main to mark");
      return signalPassFailure();
    }
    MLIRContext *ctx = &getContext();
    auto rolled = LLVM::LoopAnnotationAttr::get(
        ctx, /*disableNonforced=*/nullptr, /*vectorize=*/nullptr, /*interleave=*/nullptr,
        LLVM::LoopUnrollAttr::get(ctx, /*disable=*/BoolAttr::get(ctx, true), nullptr, nullptr,
                                  nullptr, nullptr, nullptr, nullptr),
        nullptr, nullptr, nullptr, nullptr, nullptr, nullptr, nullptr, nullptr, nullptr, nullptr,
        {});
    DominanceInfo dominance(main);
    // A back edge (a branch to a block that dominates it) closes a loop; the
    // annotation on it is what LLVM reads as the loop's metadata.
    auto closesLoop = [&](Block *from, SuccessorRange to) {
      return llvm::any_of(to, [&](Block *header) { return dominance.dominates(header, from); });
    };
    // @main's own blocks and those its team runs on one thread or all
    // (acnn-team-per-run), not its worksharing loops' (the kernels' own).
    SmallVector<Block *> blocks;
    main.walk([&](Block *block) {
      if (!block->getParentOp()->getParentOfType<omp::WsloopOp>() &&
          !isa<omp::WsloopOp, omp::LoopNestOp>(block->getParentOp()))
        blocks.push_back(block);
    });
    for (Block *block : blocks) {
      if (!block->mightHaveTerminator())
        continue;
      Operation *branch = block->getTerminator();
      if (!closesLoop(block, branch->getSuccessors()) || computes(block, dominance))
        continue;
      if (auto br = dyn_cast<LLVM::BrOp>(branch))
        br.setLoopAnnotationAttr(rolled);
      else if (auto condBr = dyn_cast<LLVM::CondBrOp>(branch))
        condBr.setLoopAnnotationAttr(rolled);
    }
  }
};

} // namespace
} // namespace acnn
