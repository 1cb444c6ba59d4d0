// acnn-apply-schedules: render the #acnn.schedule of every kernel that
// acnn-select-schedules formed as a transform-dialect script and apply it
// with the transform interpreter, on tensors, before bufferisation. Then check what came out: a kernel that
// was to be vectorised but stayed scalar, or a conv/matmul whose accumulator
// is still loaded and stored in its reduction loop, gets a warning (several
// transforms fail silently and cost 20-30%; see shared/mlir-cpu-codegen.md).
#include "compiler/codegen/ErfApproximation.h"
#include "compiler/codegen/IsolatedKernel.h"
#include "compiler/codegen/KernelLocation.h"
#include "compiler/codegen/Passes.h"
#include "compiler/codegen/Schedule.h"
#include "compiler/codegen/ScheduleFile.h"
#include "compiler/codegen/ScheduleKernelAction.h"
#include "compiler/codegen/TargetDescription.h"
#include "compiler/codegen/ThreadLoops.h"
#include "compiler/codegen/WholeVectorReductions.h"

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
#include "llvm/ADT/StringMap.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/raw_ostream.h"

#include <map>
#include <set>

MLIR_DEFINE_EXPLICIT_TYPE_ID(acnn::ScheduleKernelAction)

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

/// The write of a reduction loop that still reads and writes the same
/// accumulator every iteration: a transfer_write at loop-invariant indices
/// into the loop's own carried tensor (hoisting would have moved it out).
/// Innermost loops only: a loop over blocks that updates its state once a
/// block (online softmax's running max and sum over key blocks, a whole
/// vector<64> each on AVX-512) carries it in memory by design.
vector::TransferWriteOp unhoistedAccumulator(Operation *root) {
  vector::TransferWriteOp found;
  root->walk([&](scf::ForOp loop) {
    if (loop.getBody()->walk([](scf::ForOp) { return WalkResult::interrupt(); }).wasInterrupted())
      return;
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
      if (!found && carried && llvm::all_of(write.getIndices(), invariant))
        found = write;
    }
  });
  return found;
}

/// An element-wise arith or math op on a vector whose one non-unit dim is
/// not its last (a channel pool's body, vector<64x1x1xf32>: the channels,
/// then its unit reduction steps) done on the 1-D vector instead: unrolled
/// one innermost dim at a time, and lowered to LLVM one innermost dim a
/// vector, it ran one lane at a time (EfficientNet's last pool, a SiLU of
/// 7x7x1280, 12x slower). The shape casts around it cancel out with those
/// of its neighbours.
struct ElementwiseOnTrailingUnitDims : RewritePattern {
  ElementwiseOnTrailingUnitDims(MLIRContext *ctx) : RewritePattern(MatchAnyOpTypeTag(), 1, ctx) {}

  LogicalResult matchAndRewrite(Operation *op, PatternRewriter &rewriter) const override {
    if (!isa<arith::ArithDialect, math::MathDialect>(op->getDialect()) ||
        !OpTrait::hasElementwiseMappableTraits(op) || op->getNumResults() != 1)
      return failure();
    auto type = dyn_cast<VectorType>(op->getResult(0).getType());
    if (!type || type.getRank() < 2 || type.isScalable() || type.getShape().back() != 1 ||
        llvm::count_if(type.getShape(), [](int64_t d) { return d != 1; }) != 1)
      return failure();
    auto flat = [&](Type t) {
      auto v = cast<VectorType>(t);
      return VectorType::get({v.getNumElements()}, v.getElementType());
    };
    SmallVector<Value> operands;
    for (Value operand : op->getOperands()) {
      if (!isa<VectorType>(operand.getType()))
        return failure();
      operands.push_back(
          vector::ShapeCastOp::create(rewriter, op->getLoc(), flat(operand.getType()), operand));
    }
    Operation *flatOp = rewriter.create(op->getLoc(), op->getName().getIdentifier(), operands,
                                        TypeRange{flat(type)}, op->getAttrs());
    rewriter.replaceOpWithNewOp<vector::ShapeCastOp>(op, type, flatOp->getResult(0));
    return success();
  }
};

/// After the schedules' scripts: vector ops prepared, accumulators hoisted
/// out of reduction loops, element-wise ops on trailing unit dims made 1-D,
/// whole-vector reductions made trees, vector ops lowered to what LLVM takes well, math
/// approximated, element-wise ops one register (`lanes`) at a time, in
/// `root`.
LogicalResult finishVectors(Operation *root, int64_t lanes, bool hoist) {
  MLIRContext *ctx = root->getContext();
  std::string message;
  if (failed(applyScript(root, renderVectorPrepareScript(), message)))
    return emitError(root->getLoc()) << "preparing vector ops failed: " << message;
  // Accumulators out of reduction loops, innermost loops first.
  IRRewriter rewriter(ctx);
  SmallVector<scf::ForOp> loops;
  root->walk([&](scf::ForOp loop) { loops.push_back(loop); }); // post-order
  for (scf::ForOp loop : hoist ? loops : SmallVector<scf::ForOp>())
    (void)hoistLoopInvariantSubsets(rewriter, cast<LoopLikeOpInterface>(loop.getOperation()));
  RewritePatternSet trailing(ctx);
  trailing.add<ElementwiseOnTrailingUnitDims>(ctx);
  populateWholeVectorReductionPatterns(trailing);
  vector::ShapeCastOp::getCanonicalizationPatterns(trailing, ctx);
  if (failed(applyPatternsGreedily(root, std::move(trailing))))
    return emitError(root->getLoc()) << "flattening element-wise vector ops did not converge";
  if (failed(applyScript(root, renderVectorLoweringScript(), message)))
    return emitError(root->getLoc()) << "lowering vector ops failed: " << message;
  // exp, erf, tanh on vectors: polynomials instead of one libm call a lane
  // (erf: acnn's own, ErfApproximation.h).
  RewritePatternSet approximations(ctx);
  populateMathPolynomialApproximationPatterns(approximations, [](StringRef name) {
    name.consume_front("math.");
    return llvm::is_contained({"exp", "expm1", "tanh", "log", "log1p"}, name);
  });
  populateErfApproximationPatterns(approximations);
  if (failed(applyPatternsGreedily(root, std::move(approximations))))
    return emitError(root->getLoc()) << "math approximations did not converge";
  // Element-wise ops one vector register at a time: LLVM would unroll an
  // op on vector<14x32xf32> into 28 ops, all live at once, op after op;
  // as separate ops, acnn-sink-to-stores can order them slice by slice.
  RewritePatternSet unroll(ctx);
  vector::populateVectorUnrollPatterns(
      unroll,
      vector::UnrollVectorOptions()
          .setFilterConstraint([](Operation *op) {
            // arith and math: the contractions' vector.fma stay whole (LLVM
            // splits those as well as it can).
            return success(isa<arith::ArithDialect, math::MathDialect>(op->getDialect()) &&
                           OpTrait::hasElementwiseMappableTraits(op) && op->getNumResults() == 1);
          })
          .setNativeShapeFn([lanes](Operation *op) -> std::optional<SmallVector<int64_t>> {
            auto type = dyn_cast<VectorType>(op->getResult(0).getType());
            if (!type || type.getRank() == 0 || type.isScalable())
              return std::nullopt;
            SmallVector<int64_t> shape(type.getRank(), 1);
            shape.back() = std::min(lanes, type.getShape().back());
            return shape;
          }));
  if (failed(applyPatternsGreedily(root, std::move(unroll))))
    return emitError(root->getLoc()) << "unrolling element-wise vector ops did not converge";
  // max / min (ReLU, clips, max pooling) without signed zeros: LLVM orders
  // -0 below +0 with a sign test and two blends around every vmaxps (6
  // instructions; a 3x3 max pool took 1.6x as long). NaNs still propagate.
  root->walk([&](Operation *op) {
    if (isa<arith::MaximumFOp, arith::MinimumFOp>(op))
      if (auto fm = dyn_cast<arith::ArithFastMathInterface>(op))
        op->setAttr(fm.getFastMathAttrName(),
                    arith::FastMathFlagsAttr::get(ctx, fm.getFastMathFlagsAttr().getValue() |
                                                           arith::FastMathFlags::nsz));
  });
  return success();
}

/// How scheduleKernel() scheduled a kernel.
enum class Scheduled { Alone, Copied, InFunction };

/// A kernel as its script left it, for the identical kernels after it.
struct Transformed {
  func::FuncOp func;
  std::string name;              // the kernel's entry name
  SmallVector<StringAttr> names; // kernelNamesOf() before the script
  bool applied = false;
  std::string message;
};

/// Applies `script` to kernel `kernel` (its ops `ops`) in a function of its
/// own, or copies what it made of an identical kernel before; where the
/// kernel cannot stand alone, to all of `func`. `how` says which; `name`,
/// the kernel's entry name, becomes that of the kernel it copies.
LogicalResult scheduleKernel(func::FuncOp func, int64_t kernel, const Schedule &schedule,
                             ArrayRef<Operation *> ops, llvm::StringRef script,
                             llvm::StringMap<Transformed> &transformed, Scheduled &how,
                             std::string &name, std::string &message) {
  FailureOr<IsolatedKernel> isolated =
      isolateKernel(ops, "__acnn_scheduled_kernel" + std::to_string(kernel));
  if (failed(isolated)) {
    how = Scheduled::InFunction;
    return applyScript(func, script, message);
  }
  // Tagged as kernel 0, without its name: identical kernels print the same.
  MLIRContext *ctx = func.getContext();
  auto retag = [&](Operation *root, int64_t tag) {
    root->walk([&](Operation *op) {
      for (StringRef attr : {kKernelAttr, kGroupBodyAttr, kGroupStartAttr})
        if (op->hasAttr(attr))
          op->setAttr(attr, IntegerAttr::get(IntegerType::get(ctx, 64), tag));
      for (StringRef attr : {kScheduleAttr, kKernelEntryAttr, kKernelKeyAttr, kScheduleSourceAttr})
        op->removeAttr(attr);
    });
  };
  retag(isolated->func, 0);
  std::string generic = renderTransformScript(schedule, 0);
  auto [it, added] = transformed.try_emplace(generic + kernelText(isolated->func));
  Transformed &t = it->second;
  SmallVector<Operation *> copies;
  how = added ? Scheduled::Alone : Scheduled::Copied;
  if (added) {
    t.name = name;
    t.func = isolated->func;
    t.names = kernelNamesOf(t.func);
    t.applied = succeeded(applyScript(t.func, generic, t.message));
    copies = inlineKernel(isolated->call, t.func, llvm::DenseMap<StringAttr, StringAttr>());
  } else {
    llvm::DenseMap<StringAttr, StringAttr> names;
    for (auto [from, to] : llvm::zip(t.names, kernelNamesOf(isolated->func)))
      if (from && to)
        names.try_emplace(from, to);
    copies = inlineKernel(isolated->call, t.func, names);
    isolated->func.erase();
    name = t.name;
  }
  for (Operation *op : copies)
    retag(op, kernel);
  message = t.message;
  return success(t.applied);
}

struct ApplySchedules : impl::ApplySchedulesBase<ApplySchedules> {
  using ApplySchedulesBase::ApplySchedulesBase;

  void runOnOperation() override {
    for (auto func : llvm::to_vector(getOperation().getOps<func::FuncOp>()))
      if (!func.isExternal() && failed(scheduleFunction(func)))
        return signalPassFailure();
  }

  LogicalResult scheduleFunction(func::FuncOp func) {
    // The kernels acnn-select-schedules formed: roots tagged acnn.kernel with
    // their schedule, a group's conv or matmul (and start) tagged with it.
    llvm::DenseMap<int64_t, linalg::LinalgOp> bodies;
    llvm::SmallDenseSet<int64_t> withStart;
    SmallVector<linalg::LinalgOp> roots;
    llvm::DenseMap<int64_t, SmallVector<Operation *>> members;
    func.walk([&](linalg::LinalgOp op) {
      for (StringRef name : {kKernelAttr, kGroupBodyAttr, kGroupStartAttr})
        if (auto tag = op->getAttrOfType<IntegerAttr>(name))
          members[tag.getInt()].push_back(op);
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
      // The graph's kernel (the runtime profile's), of which this one is a
      // loop nest.
      StringAttr graphKernel;
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
      if (loops) {
        for (OpOperand &operand : root->getOpOperands())
          if (operand.get().getDefiningOp() == loops.getOperation())
            schedule->bodyResultOperand = operand.getOperandNumber();
        schedule->accumulatorOperand = loops.getDpsInitsMutable()[0].getOperandNumber();
        if (!schedule->splits.empty() && !groupMaySplit(*schedule))
          return root.emitError() << "kernel '" << name
                                  << "': a group's schedule splits one loop at most, inside its "
                                     "thread loop (a loop its threads do not cut), and peels none";
      }
      kernels.emplace(tag.getInt(),
                      Kernel{*schedule, (loops ? loops : root).getLoc(), name, kernelNameOf(root)});
    }
    llvm::SmallDenseSet<int64_t> warned;
    LocalOpPrinting localPrinting;
    llvm::StringMap<Transformed> transformed;
    auto scheduled = [](const Kernel &k) {
      return k.schedule.vectorize || !k.schedule.parallelDims.empty();
    };
    // Progress is reported in the graph's kernels, numbered in order.
    llvm::DenseMap<StringAttr, int64_t> graphKernels;
    for (const Kernel &k : llvm::make_second_range(kernels))
      if (scheduled(k))
        graphKernels.try_emplace(k.graphKernel, graphKernels.size());
    for (auto &[kernel, k] : kernels) {
      const Schedule &schedule = k.schedule;
      Location loc = k.loc;
      if (!scheduled(k))
        continue;
      std::string script = renderTransformScript(schedule, kernel);
      if (printScripts)
        llvm::outs() << script;
      std::string message;
      Scheduled how = Scheduled::Alone;
      std::string copiedFrom = k.name;
      LogicalResult applied = failure();
      func.getContext()->executeAction<ScheduleKernelAction>(
          [&] {
            applied = scheduleKernel(func, kernel, schedule, members[kernel], script, transformed,
                                     how, copiedFrom, message);
          },
          {}, graphKernels.lookup(k.graphKernel), static_cast<int64_t>(graphKernels.size()),
          k.name);
      if (how == Scheduled::Copied)
        emitRemark(loc) << "kernel '" << k.name << "' is a copy of kernel '" << copiedFrom
                        << "'";
      if (how == Scheduled::InFunction)
        emitRemark(loc) << "kernel '" << k.name
                        << "' is scheduled in its function: its ops are in different blocks, or "
                           "a result is used before its last op";
      if (failed(applied)) {
        emitWarning(loc) << "kernel '" << k.name << "' (" << schedule.opName
                         << ") keeps part of its schedule unapplied, it may be scalar: "
                         << message;
        warned.insert(kernel);
      }
    }
    for (auto &entry : transformed)
      entry.second.func.erase();
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
    if (failed(finishVectors(func, ScheduleTarget::fromAttr(targetOf(func)).lanes(), hoist)))
      return failure();
    if (vector::TransferWriteOp write = unhoistedAccumulator(func)) {
      StringAttr kernel = kernelNameOf(write.getLoc());
      emitWarning(func.getLoc()) << "kernel '" << (kernel ? kernel.getValue() : "?")
                                 << "': a vectorised reduction loop still loads and stores its "
                                    "accumulator every iteration (not hoisted)";
    }
    func.walk([](Operation *op) {
      for (StringRef name : {kKernelAttr, kGroupEpilogueAttr, kGroupBodyAttr, kGroupStartAttr,
                             kScheduleAttr, kKernelEntryAttr, kKernelKeyAttr, kScheduleSourceAttr})
        op->removeAttr(name);
    });
    return success();
  }
};

} // namespace
} // namespace acnn
