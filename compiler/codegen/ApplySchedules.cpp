// acnn-apply-schedules: render the #acnn.schedule of every kernel that
// acnn-select-schedules formed as a transform-dialect script and apply it
// with the transform interpreter, on tensors, before bufferisation. Then check what came out: a kernel that
// was to be vectorised but stayed scalar, or a conv/matmul whose accumulator
// is still loaded and stored in its reduction loop, gets a warning (several
// transforms fail silently and cost 20-30%; see shared/mlir-cpu-codegen.md).
#include "compiler/codegen/Passes.h"
#include "compiler/codegen/Schedule.h"
#include "compiler/codegen/ScheduleFile.h"
#include "compiler/codegen/TargetDescription.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Math/Transforms/Passes.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Transform/IR/TransformOps.h"
#include "mlir/Dialect/Transform/Transforms/TransformInterpreterUtils.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/Dialect/Vector/Transforms/VectorRewritePatterns.h"
#include "mlir/IR/AsmState.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"
#include "mlir/Transforms/LoopInvariantCodeMotionUtils.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/raw_ostream.h"

#include <map>
#include <set>

namespace acnn {

#define GEN_PASS_DEF_APPLYSCHEDULES
#include "compiler/codegen/Passes.h.inc"

using namespace mlir;

namespace {

/// While alive, ops print in their own scope and unverified. The interpreter's
/// fuse_into_containing_op writes ops into remarks it then drops; printing an
/// op nested in a function verifies and numbers the whole function, so every
/// fusion cost time in the size of the model (half of this pass on ViT-B,
/// 12.5 -> 6 s). MLIR reads these printing defaults from its command-line
/// options only.
class LocalOpPrinting {
public:
  LocalOpPrinting() {
    registerAsmPrinterCLOptions();
    auto options = llvm::cl::getRegisteredOptions();
    for (llvm::StringRef name : {"mlir-print-local-scope", "mlir-print-assume-verified"})
      if (auto *option = static_cast<llvm::cl::opt<bool> *>(options.lookup(name))) {
        saved.push_back({option, option->getValue()});
        option->setValue(true);
      }
  }
  ~LocalOpPrinting() {
    for (auto [option, value] : saved)
      option->setValue(value);
  }

private:
  SmallVector<std::pair<llvm::cl::opt<bool> *, bool>> saved;
};

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

struct ApplySchedules : impl::ApplySchedulesBase<ApplySchedules> {
  using ApplySchedulesBase::ApplySchedulesBase;

  void runOnOperation() override {
    for (auto func : llvm::to_vector(getOperation().getOps<func::FuncOp>()))
      if (!func.isExternal() && failed(scheduleFunction(func)))
        return signalPassFailure();
  }

  LogicalResult scheduleFunction(func::FuncOp func) {
    MLIRContext *ctx = func.getContext();
    // The kernels acnn-select-schedules formed: roots tagged acnn.kernel with
    // their schedule, a group's conv or matmul (and start) tagged with it.
    llvm::DenseMap<int64_t, linalg::LinalgOp> bodies;
    llvm::SmallDenseSet<int64_t> withStart;
    SmallVector<linalg::LinalgOp> roots;
    func.walk([&](linalg::LinalgOp op) {
      if (auto tag = op->getAttrOfType<IntegerAttr>(kGroupBodyAttr))
        bodies[tag.getInt()] = op;
      if (auto tag = op->getAttrOfType<IntegerAttr>(kGroupStartAttr))
        withStart.insert(tag.getInt());
      if (op->hasAttr(kKernelAttr))
        roots.push_back(op);
    });
    // Every schedule is read before any script runs: a script rewrites (and
    // CSEs) the function, which must not touch the ops still waiting for theirs.
    struct Kernel {
      Schedule schedule;
      Location loc;
      std::string name;
    };
    std::map<int64_t, Kernel> kernels;
    for (linalg::LinalgOp root : roots) {
      auto tag = root->getAttrOfType<IntegerAttr>(kKernelAttr);
      auto attr = root->getAttrOfType<ScheduleAttr>(kScheduleAttr);
      auto entry = root->getAttrOfType<StringAttr>(kKernelEntryAttr);
      std::string name = entry ? entry.str() : "?";
      if (!tag || !attr)
        return root.emitError() << "kernel '" << name << "' has no "
                                << (tag ? kScheduleAttr : kKernelAttr)
                                << " (acnn-select-schedules makes them)";
      linalg::LinalgOp loops = bodies.lookup(tag.getInt());
      FailureOr<Schedule> schedule = fromAttr(attr, loops ? loops : root, [&] {
        return root.emitError() << "kernel '" << name << "': ";
      });
      if (failed(schedule))
        return failure();
      schedule->inEpilogue = static_cast<bool>(loops);
      schedule->withStart = withStart.contains(tag.getInt());
      kernels.emplace(tag.getInt(), Kernel{*schedule, (loops ? loops : root).getLoc(), name});
    }
    llvm::SmallDenseSet<int64_t> warned;
    LocalOpPrinting localPrinting;
    for (auto &[kernel, k] : kernels) {
      const Schedule &schedule = k.schedule;
      Location loc = k.loc;
      if (!schedule.vectorize && schedule.parallelDims.empty())
        continue;
      std::string script = renderTransformScript(schedule, kernel);
      if (printScripts)
        llvm::outs() << script;
      std::string message;
      if (failed(applyScript(func, script, message))) {
        emitWarning(loc) << "kernel '" << k.name << "' (" << schedule.opName
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
          if (kernels.at(tag.getInt()).schedule.vectorize && !warned.count(tag.getInt()))
            scalar.insert(tag.getInt());
    });
    for (int64_t kernel : scalar)
      emitWarning(kernels.at(kernel).loc)
          << "kernel '" << kernels.at(kernel).name << "' (" << kernels.at(kernel).schedule.opName
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
    // Element-wise ops one vector register at a time: LLVM would unroll an
    // op on vector<14x32xf32> into 28 ops, all live at once, op after op;
    // as separate ops, acnn-sink-to-stores can order them slice by slice.
    const int64_t lanes = ScheduleTarget::fromAttr(targetOf(func)).lanes();
    RewritePatternSet unroll(ctx);
    vector::populateVectorUnrollPatterns(
        unroll, vector::UnrollVectorOptions()
                    .setFilterConstraint([](Operation *op) {
                      // arith and math: the contractions' vector.fma stay
                      // whole (LLVM splits those as well as it can).
                      return success(isa<arith::ArithDialect, math::MathDialect>(op->getDialect()) &&
                                     OpTrait::hasElementwiseMappableTraits(op) &&
                                     op->getNumResults() == 1);
                    })
                    .setNativeShapeFn([lanes](Operation *op) -> std::optional<SmallVector<int64_t>> {
                      auto type = dyn_cast<VectorType>(op->getResult(0).getType());
                      if (!type || type.getRank() == 0 || type.isScalable())
                        return std::nullopt;
                      SmallVector<int64_t> shape(type.getRank(), 1);
                      shape.back() = std::min(lanes, type.getShape().back());
                      return shape;
                    }));
    if (failed(applyPatternsGreedily(func, std::move(unroll))))
      return emitError(func.getLoc()) << "unrolling element-wise vector ops did not converge";
    // max / min (ReLU, clips, max pooling) without signed zeros: LLVM orders
    // -0 below +0 with a sign test and two blends around every vmaxps (6
    // instructions; a 3x3 max pool took 1.6x as long). NaNs still
    // propagate.
    func.walk([&](Operation *op) {
      if (isa<arith::MaximumFOp, arith::MinimumFOp>(op))
        if (auto fm = dyn_cast<arith::ArithFastMathInterface>(op))
          op->setAttr(fm.getFastMathAttrName(),
                      arith::FastMathFlagsAttr::get(ctx, fm.getFastMathFlagsAttr().getValue() |
                                                             arith::FastMathFlags::nsz));
    });
    if (hasUnhoistedAccumulator(func))
      emitWarning(func.getLoc()) << "a vectorised reduction loop still loads and stores its "
                                    "accumulator every iteration (not hoisted)";
    func.walk([](Operation *op) {
      for (StringRef name : {kKernelAttr, kGroupEpilogueAttr, kGroupBodyAttr, kGroupStartAttr,
                             kScheduleAttr, kKernelEntryAttr, kKernelKeyAttr})
        op->removeAttr(name);
    });
    return success();
  }
};

} // namespace
} // namespace acnn
