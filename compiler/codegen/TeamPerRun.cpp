// acnn-team-per-run: @main forks its threads once a run, and every parallel
// loop of its kernels shares that team, instead of forking and joining one
// team per loop. A fork and join cost 1.5 us here against a barrier's fraction
// of that, and small nets have hundreds of parallel loops a run (ShuffleNetV2:
// 245, MobileNetV3-small: 93).
//
// A block all threads run ("team block") keeps its parallel loops as
// worksharing loops, whose implicit barrier ends each; everything else runs
// on the team's first thread (omp.masked), followed by a barrier when it
// wrote memory. Only the profiling hooks, which other threads never read,
// go without one. Of the values computed there that later work needs, every
// thread computes those it can alike (views, constants, reads of weights);
// the others reach it through memory allocated before the fork. A model
// this cannot be done for keeps its regions.
#include "compiler/codegen/KernelLocation.h"
#include "compiler/codegen/Passes.h"
#include "compiler/codegen/RuntimeArguments.h"

#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/OpenMP/OpenMPDialect.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/Builders.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "llvm/ADT/DenseMap.h"

namespace acnn {

#define GEN_PASS_DEF_TEAMPERRUN
#include "compiler/codegen/Passes.h.inc"

using namespace mlir;

namespace {

bool isHook(Operation *op) {
  return isCallOf(op, kKernelBeginHook) || isCallOf(op, kKernelEndHook);
}

/// The calls of each kernel function, all of them in @main.
using KernelCalls = llvm::DenseMap<Operation *, SmallVector<func::CallOp>>;

/// Whether `memory` is a constant global (a weight) or a view of one, also
/// where a kernel function takes it as an argument.
bool isConstantMemory(Value memory, const KernelCalls &calls) {
  while (auto view = memory.getDefiningOp<ViewLikeOpInterface>())
    memory = view.getViewSource();
  if (auto use = memory.getDefiningOp<memref::GetGlobalOp>()) {
    auto global = SymbolTable::lookupNearestSymbolFrom<memref::GlobalOp>(use, use.getNameAttr());
    return global && global.getConstant();
  }
  auto argument = dyn_cast<BlockArgument>(memory);
  auto found = argument ? calls.find(argument.getOwner()->getParentOp()) : calls.end();
  return found != calls.end() && llvm::all_of(found->second, [&](func::CallOp call) {
           return isConstantMemory(call.getOperand(argument.getArgNumber()), calls);
         });
}

/// Whether `op` only reads weights, which no thread writes: CSE shares a
/// bias read by a serial piece of a kernel with its parallel pieces.
bool readsOnlyConstants(Operation *op, const KernelCalls &calls) {
  auto memory = dyn_cast<MemoryEffectOpInterface>(op);
  if (!memory || op->getNumRegions() != 0)
    return false;
  SmallVector<MemoryEffects::EffectInstance> effects;
  memory.getEffects(effects);
  return llvm::all_of(effects, [&](const MemoryEffects::EffectInstance &effect) {
    return isa<MemoryEffects::Read>(effect.getEffect()) && effect.getValue() &&
           isConstantMemory(effect.getValue(), calls);
  });
}

/// The ops of a team block between two of its ops that fork: what every
/// thread computes (`replicated`), what the first thread runs alone
/// (`masked`), the values of masked ops every thread needs (`shared`, passed
/// through memory), and whether the others must wait for the first.
struct Run {
  SmallVector<Operation *> replicated, masked;
  SmallVector<Value> shared;
  bool barrier = false;
};

/// A team block's plan: its runs and the ops that fork, in order.
struct BlockPlan {
  SmallVector<Run> runs;
  SmallVector<omp::ParallelOp> regions;
};

class Planner {
public:
  Planner(ModuleOp model, func::FuncOp main) : model(model), main(main) {
    main.walk([&](func::CallOp call) {
      auto callee = model.lookupSymbol<func::FuncOp>(call.getCallee());
      if (callee && callee->hasAttr(kKernelFunctionAttr) && !callee.isExternal())
        calls[callee].push_back(call);
    });
  }

  /// Plans `block` and the team blocks inside it; fails, setting
  /// `blocker`, when one cannot be run by a team.
  LogicalResult plan(Block &block) {
    BlockPlan p;
    SmallVector<Operation *> run;
    for (Operation &op : block) {
      if (!forks(&op) && !op.hasTrait<OpTrait::IsTerminator>()) {
        run.push_back(&op);
        continue;
      }
      if (failed(planRun(run, p)))
        return failure();
      run.clear();
      if (op.hasTrait<OpTrait::IsTerminator>())
        break;
      if (failed(planForking(&op, p)))
        return failure();
    }
    plans.push_back(std::move(p));
    return success();
  }

  /// Rewrites every planned block; memory for shared values is allocated
  /// before `team`, where all its threads see it.
  void apply(Operation *team) {
    for (BlockPlan &p : plans) {
      for (Run &run : p.runs)
        applyRun(run, team);
      for (omp::ParallelOp region : p.regions)
        dissolve(region);
    }
  }

  /// Whether `op` forks threads: is a parallel region, holds one, or calls
  /// a kernel function that does.
  bool forks(Operation *op) {
    if (auto call = dyn_cast<func::CallOp>(op)) {
      auto callee = model.lookupSymbol<func::FuncOp>(call.getCallee());
      if (!callee || !calls.contains(callee))
        return false;
      if (auto known = forkingKernels.find(callee); known != forkingKernels.end())
        return known->second;
      const bool forking = forks(callee);
      forkingKernels[callee] = forking;
      return forking;
    }
    bool found = false;
    op->walk([&](Operation *inner) {
      if (isa<omp::ParallelOp>(inner) || (inner != op && isa<func::CallOp>(inner) && forks(inner)))
        found = true;
      return found ? WalkResult::interrupt() : WalkResult::advance();
    });
    return found;
  }

  /// The op no team could run, once planning failed.
  Operation *blocker = nullptr;

private:
  LogicalResult blockedBy(Operation *op) {
    blocker = op;
    return failure();
  }

  LogicalResult planForking(Operation *op, BlockPlan &p) {
    if (auto region = dyn_cast<omp::ParallelOp>(op)) {
      // A plain fork of a worksharing loop, as scf-to-openmp makes them.
      if (!region.getRegion().hasOneBlock() || !region.getPrivateVars().empty() ||
          !region.getReductionVars().empty() || !region.getAllocateVars().empty() ||
          region.getIfExpr() || forksInside(region))
        return blockedBy(op);
      p.regions.push_back(region);
      return success();
    }
    if (auto call = dyn_cast<func::CallOp>(op)) {
      auto callee = model.lookupSymbol<func::FuncOp>(call.getCallee());
      if (!planned.insert(callee).second)
        return success();
      return callee.getBody().hasOneBlock() ? plan(callee.front()) : blockedBy(op);
    }
    // Sequential loops and scopes around forking ops (attention's loop over
    // key blocks): every thread runs them, the same trips.
    if (!isa<scf::ForOp, scf::IfOp, memref::AllocaScopeOp>(op))
      return blockedBy(op);
    for (Region &region : op->getRegions()) {
      if (region.empty())
        continue;
      if (!region.hasOneBlock())
        return blockedBy(op);
      if (failed(plan(region.front())))
        return failure();
    }
    return success();
  }

  /// Whether a parallel region's body forks again.
  bool forksInside(omp::ParallelOp region) {
    for (Operation &op : region.getRegion().front())
      if (forks(&op))
        return true;
    return false;
  }

  LogicalResult planRun(ArrayRef<Operation *> ops, BlockPlan &p) {
    if (ops.empty())
      return success();
    llvm::SmallPtrSet<Operation *, 16> inRun(ops.begin(), ops.end());
    // Ops every thread can compute alike: pure or reading weights, from
    // values they all have.
    llvm::SmallPtrSet<Operation *, 16> replicable;
    for (Operation *op : ops) {
      bool alike = op->getNumRegions() == 0 && (isPure(op) || readsOnlyConstants(op, calls)) &&
                   llvm::all_of(op->getOperands(), [&](Value v) {
                     Operation *def = v.getDefiningOp();
                     return !def || !inRun.contains(def) || replicable.contains(def);
                   });
      if (alike)
        replicable.insert(op);
    }
    // Back to front: the ops whose results are read after the run, or by
    // ops that every thread computes, are computed by every thread too, or
    // their results are shared.
    Run run;
    llvm::SmallPtrSet<Operation *, 16> replicated;
    for (Operation *op : llvm::reverse(ops)) {
      auto readOutside = [&](OpOperand &use) {
        Operation *user = op->getBlock()->findAncestorOpInBlock(*use.getOwner());
        return !inRun.contains(user) || replicated.contains(user);
      };
      if (!llvm::any_of(op->getUses(), readOutside))
        continue;
      if (replicable.contains(op)) {
        replicated.insert(op);
        continue;
      }
      for (OpResult result : op->getResults())
        if (llvm::any_of(result.getUses(), readOutside)) {
          if (!MemRefType::isValidElementType(result.getType()) ||
              isa<MemRefType>(result.getType()))
            return blockedBy(op);
          run.shared.push_back(result);
        }
    }
    for (Operation *op : ops) {
      if (replicated.contains(op)) {
        run.replicated.push_back(op);
        continue;
      }
      run.masked.push_back(op);
      if (!isHook(op) && !isPure(op))
        run.barrier = true;
    }
    // Nothing the other threads could miss: leave it to every thread.
    if (llvm::all_of(run.masked, [](Operation *op) { return isPure(op); }) && run.shared.empty())
      run.masked.clear();
    if (!run.shared.empty())
      run.barrier = true;
    p.runs.push_back(std::move(run));
    return success();
  }

  /// Memory for `value` that every thread of `team` sees: allocated before
  /// the team forks and passed to the kernel function computing `value`.
  Value sharedSlot(Value value, Operation *team) {
    OpBuilder b(team);
    Value slot = memref::AllocaOp::create(b, team->getLoc(), MemRefType::get({}, value.getType()));
    auto kernel = value.getParentRegion()->getParentOfType<func::FuncOp>();
    if (kernel == main)
      return slot;
    unsigned n = kernel.getNumArguments();
    (void)kernel.insertArgument(n, slot.getType(), {}, value.getLoc());
    for (func::CallOp call : calls.lookup(kernel))
      call.getOperandsMutable().append(slot);
    return kernel.getArgument(n);
  }

  void applyRun(const Run &run, Operation *team) {
    if (run.masked.empty())
      return;
    Operation *first = run.masked.front();
    if (!run.replicated.empty() && run.replicated.front()->isBeforeInBlock(first))
      first = run.replicated.front();
    OpBuilder b(first);
    auto masked = omp::MaskedOp::create(b, first->getLoc(), Value());
    b.createBlock(&masked.getRegion());
    auto end = omp::TerminatorOp::create(b, first->getLoc());
    for (Operation *op : run.replicated)
      op->moveBefore(masked);
    for (Operation *op : run.masked)
      op->moveBefore(end);
    if (!run.barrier)
      return;
    b.setInsertionPointAfter(masked);
    omp::BarrierOp::create(b, masked.getLoc());
    for (Value value : run.shared) {
      Value slot = sharedSlot(value, team);
      OpBuilder inside(end);
      memref::StoreOp::create(inside, value.getLoc(), value, slot);
      Value copy = memref::LoadOp::create(b, value.getLoc(), slot);
      value.replaceUsesWithIf(copy, [&](OpOperand &use) {
        return !masked->isAncestor(use.getOwner()) && use.getOwner() != copy.getDefiningOp() &&
               !isa<memref::StoreOp>(use.getOwner());
      });
    }
  }

  /// Replaces a parallel region in a team block by its body, which every
  /// thread of the team runs; a barrier stands in for the join unless the
  /// body ends in a worksharing loop's own.
  static void dissolve(omp::ParallelOp region) {
    Block &body = region.getRegion().front();
    Operation *last = body.getTerminator()->getPrevNode();
    auto loop = dyn_cast_if_present<omp::WsloopOp>(last);
    bool waits = loop && !loop.getNowait();
    for (Operation &op : llvm::make_early_inc_range(body.without_terminator()))
      op.moveBefore(region);
    if (!waits) {
      OpBuilder b(region);
      omp::BarrierOp::create(b, region.getLoc());
    }
    region.erase();
  }

  ModuleOp model;
  func::FuncOp main;
  std::vector<BlockPlan> plans;
  llvm::SmallPtrSet<Operation *, 8> planned;
  KernelCalls calls;
  llvm::DenseMap<Operation *, bool> forkingKernels;
};

struct TeamPerRun : impl::TeamPerRunBase<TeamPerRun> {
  void runOnOperation() override {
    ModuleOp model = getOperation();
    func::FuncOp main = lookupStraightLineMain(model);
    if (!main)
      return signalPassFailure();
    Block &body = main.front();
    // acnn-runtime-thread-count's query, which @main makes first when it
    // forks at all.
    if (!isCallOf(&body.front(), kThreadCountQuery))
      return;
    auto query = cast<func::CallOp>(body.front());
    if (body.getTerminator()->getNumOperands() != 0) {
      main.emitError("acnn-team-per-run: @main returns values");
      return signalPassFailure();
    }
    OpBuilder b(query->getNextNode());
    auto team = omp::ParallelOp::create(b, main.getLoc(), omp::ParallelOperands{});
    team.getNumThreadsMutable().assign(query.getResult(0));
    Block *teamBody = b.createBlock(&team.getRegion());
    auto end = omp::TerminatorOp::create(b, main.getLoc());
    auto rest =
        llvm::make_range(std::next(team->getIterator()), body.getTerminator()->getIterator());
    for (Operation &op : llvm::make_early_inc_range(rest))
      op.moveBefore(end);
    Planner planner(model, main);
    if (succeeded(planner.plan(*teamBody))) {
      planner.apply(team);
      return;
    }
    // Undone: the regions fork as before.
    for (Operation &op : llvm::make_early_inc_range(teamBody->without_terminator()))
      op.moveBefore(team);
    team.erase();
    main.emitRemark("each parallel loop forks its own threads: one team cannot run '")
        << planner.blocker->getName() << "'";
  }
};

} // namespace
} // namespace acnn
