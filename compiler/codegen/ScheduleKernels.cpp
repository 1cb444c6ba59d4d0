// acnn-schedule-kernels: generate a Schedule for every linalg op, render it
// as a transform-dialect script and apply it with the transform interpreter,
// on tensors, before bufferisation. Then check what came out: a kernel that
// was to be vectorised but stayed scalar, or a conv/matmul whose accumulator
// is still loaded and stored in its reduction loop, gets a warning (several
// transforms fail silently and cost 20-30%; see shared/mlir-cpu-codegen.md).
#include "compiler/codegen/Passes.h"
#include "compiler/codegen/Schedule.h"

#include "mlir/Dialect/Math/Transforms/Passes.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Transform/IR/TransformOps.h"
#include "mlir/Dialect/Transform/Transforms/TransformInterpreterUtils.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"
#include "mlir/Transforms/LoopInvariantCodeMotionUtils.h"
#include "llvm/Support/raw_ostream.h"

#include <set>

namespace acnn {

#define GEN_PASS_DEF_SCHEDULEKERNELS
#include "compiler/codegen/Passes.h.inc"

using namespace mlir;

namespace {

/// Parses `script` and applies its @__transform_main to `payload`. On
/// failure, `message` holds the diagnostics.
LogicalResult applyScript(Operation *payload, llvm::StringRef script, std::string &message) {
  llvm::raw_string_ostream os(message);
  ScopedDiagnosticHandler capture(payload->getContext(), [&](Diagnostic &d) {
    if (d.getSeverity() == DiagnosticSeverity::Error)
      os << (message.empty() ? "" : "; ") << d.str();
    return success();
  });
  OwningOpRef<ModuleOp> library =
      parseSourceString<ModuleOp>(script, ParserConfig(payload->getContext()));
  if (!library)
    return failure();
  auto entry = library->lookupSymbol<transform::NamedSequenceOp>("__transform_main");
  if (!entry)
    return failure();
  return transform::applyTransformNamedSequence(payload, entry, *library,
                                                transform::TransformOptions());
}

/// A reduction loop that still reads and writes the same accumulator every
/// iteration: a transfer_write at loop-invariant indices into the loop's own
/// carried tensor (hoisting would have moved it out).
bool hasUnhoistedAccumulator(Operation *root) {
  bool found = false;
  root->walk([&](scf::ForOp loop) {
    auto invariant = [&](Value v) {
      return !loop->isAncestor(v.getParentRegion()->getParentOp());
    };
    for (Operation &op : *loop.getBody()) {
      auto write = dyn_cast<vector::TransferWriteOp>(op);
      if (!write || !isa<RankedTensorType>(write.getBase().getType()))
        continue;
      Value base = write.getBase();
      auto slice = base.getDefiningOp<tensor::ExtractSliceOp>();
      if (slice && llvm::all_of(slice.getOffsets(), invariant))
        base = slice.getSource();
      auto arg = dyn_cast<BlockArgument>(base);
      bool carried = arg && arg.getOwner() == loop.getBody() && arg.getArgNumber() > 0;
      found |= carried && llvm::all_of(write.getIndices(), invariant);
    }
  });
  return found;
}

struct ScheduleKernels : impl::ScheduleKernelsBase<ScheduleKernels> {
  using ScheduleKernelsBase::ScheduleKernelsBase;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    FailureOr<ScheduleTarget> parsed = ScheduleTarget::of(module, target);
    if (failed(parsed))
      return signalPassFailure();
    const ScheduleTarget &t = *parsed;
    if (printSchedules)
      llvm::outs() << "// target: " << t.str() << "\n";
    for (auto func : llvm::to_vector(module.getOps<func::FuncOp>()))
      if (!func.isExternal() && failed(scheduleFunction(func, t)))
        return signalPassFailure();
  }

  LogicalResult scheduleFunction(func::FuncOp func, const ScheduleTarget &t) {
    // Kernels: the top-level linalg ops, but a group of acnn-group-epilogues
    // is one, its consumer's, scheduled by its conv's or matmul's loops.
    // (A group whose consumer is gone leaves its ops kernels of their own.)
    llvm::DenseSet<Attribute> groups;
    func.walk([&](linalg::GenericOp op) {
      if (Attribute group = op->getAttr(kGroupEpilogueAttr))
        groups.insert(group);
    });
    SmallVector<linalg::LinalgOp> ops;
    llvm::DenseMap<Attribute, linalg::LinalgOp> bodies;
    llvm::DenseMap<Attribute, Operation *> starts;
    func.walk([&](linalg::LinalgOp op) {
      if (op->getParentOfType<linalg::LinalgOp>())
        return;
      Attribute body = op->getAttr(kGroupBodyAttr), start = op->getAttr(kGroupStartAttr);
      if (body && groups.contains(body)) {
        bodies[body] = op;
      } else if (start && groups.contains(start)) {
        starts[start] = op;
      } else {
        op->removeAttr(kGroupBodyAttr);
        op->removeAttr(kGroupStartAttr);
        ops.push_back(op);
      }
    });
    MLIRContext *ctx = func.getContext();
    // Every schedule is made and every op tagged before any script runs: a
    // script rewrites (and CSEs) the function, which must not touch the ops
    // still waiting for theirs.
    struct Kernel {
      Schedule schedule;
      Location loc;
    };
    std::vector<Kernel> kernels;
    llvm::SmallDenseSet<int64_t> warned;
    for (auto [kernel, op] : llvm::enumerate(ops)) {
      auto tag = IntegerAttr::get(IntegerType::get(ctx, 64), kernel);
      Attribute group = op->getAttr(kGroupEpilogueAttr);
      linalg::LinalgOp body = group ? bodies.lookup(group) : linalg::LinalgOp();
      if (!body) {
        kernels.push_back({generateSchedule(op, t), op.getLoc()});
        op->setAttr(kKernelAttr, tag);
        continue;
      }
      Schedule schedule = generateSchedule(body, t);
      schedule.inEpilogue = true;
      body->setAttr(kGroupBodyAttr, tag);
      if (Operation *start = starts.lookup(group)) {
        schedule.withStart = true;
        start->setAttr(kGroupStartAttr, tag);
      }
      kernels.push_back({schedule, body.getLoc()});
      op->setAttr(kKernelAttr, tag);
    }
    for (auto [kernel, k] : llvm::enumerate(kernels)) {
      const Schedule &schedule = k.schedule;
      Location loc = k.loc;
      if (printSchedules)
        llvm::outs() << "// kernel " << kernel << ": " << schedule.str() << "\n";
      if (!schedule.vectorize && schedule.parallelDims.empty())
        continue;
      std::string script = renderTransformScript(schedule, kernel);
      if (printScripts)
        llvm::outs() << script;
      std::string message;
      if (failed(applyScript(func, script, message))) {
        emitWarning(loc) << "kernel " << kernel << " (" << schedule.opName
                         << ") keeps part of its schedule unapplied, it may be scalar: "
                         << message;
        warned.insert(kernel);
      }
    }
    // A group's conv and start were cloned into its consumer's tiles, level
    // by level: the originals and the clones of the outer levels are left
    // without users (a start's once its conv's are gone).
    for (bool erased = true; erased;) {
      SmallVector<Operation *> fusedAway;
      func.walk([&](linalg::LinalgOp op) {
        if ((op->hasAttr(kGroupBodyAttr) || op->hasAttr(kGroupStartAttr)) && op->use_empty())
          fusedAway.push_back(op);
      });
      for (Operation *op : fusedAway)
        op->erase();
      erased = !fusedAway.empty();
    }
    // A kernel whose op is still there was not vectorised (vectorize
    // replaces the op; tiling keeps the tag on the tiles).
    std::set<int64_t> scalar;
    func.walk([&](linalg::LinalgOp left) {
      for (StringRef name : {kKernelAttr, kGroupBodyAttr, kGroupStartAttr})
        if (auto tag = left->getAttrOfType<IntegerAttr>(name))
          if (kernels[tag.getInt()].schedule.vectorize && !warned.count(tag.getInt()))
            scalar.insert(tag.getInt());
    });
    for (int64_t kernel : scalar)
      emitWarning(kernels[kernel].loc)
          << "kernel " << kernel << " (" << kernels[kernel].schedule.opName
          << ") stayed scalar: the vectoriser did not take it";
    std::string message;
    if (failed(applyScript(func, renderVectorPrepareScript(), message)))
      return emitError(func.getLoc()) << "preparing vector ops failed: " << message;
    // Accumulators out of reduction loops, innermost loops first.
    IRRewriter rewriter(ctx);
    SmallVector<scf::ForOp> loops;
    func.walk([&](scf::ForOp loop) { loops.push_back(loop); }); // post-order
    for (scf::ForOp loop : hoist ? loops : SmallVector<scf::ForOp>())
      (void)hoistLoopInvariantSubsets(rewriter, cast<LoopLikeOpInterface>(loop.getOperation()));
    if (failed(applyScript(func, renderVectorLoweringScript(), message)))
      return emitError(func.getLoc()) << "lowering vector ops failed: " << message;
    // exp, erf, tanh on vectors: polynomials instead of one libm call a lane.
    RewritePatternSet approximations(ctx);
    populateMathPolynomialApproximationPatterns(approximations, [](StringRef name) {
      name.consume_front("math.");
      return llvm::is_contained({"exp", "expm1", "erf", "tanh", "log", "log1p"}, name);
    });
    if (failed(applyPatternsGreedily(func, std::move(approximations))))
      return emitError(func.getLoc()) << "math approximations did not converge";
    if (hasUnhoistedAccumulator(func))
      emitWarning(func.getLoc()) << "a vectorised reduction loop still loads and stores its "
                                    "accumulator every iteration (not hoisted)";
    func.walk([](Operation *op) {
      for (StringRef name : {kKernelAttr, kGroupEpilogueAttr, kGroupBodyAttr, kGroupStartAttr})
        op->removeAttr(name);
    });
    return success();
  }
};

} // namespace
} // namespace acnn
