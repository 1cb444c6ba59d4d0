// acnn-count-kernel-flops: each kernel's name ends in its floating-point work.
#include "compiler/codegen/KernelLocation.h"
#include "compiler/codegen/Passes.h"

#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/Interfaces/LoopLikeInterface.h"

namespace acnn {

#define GEN_PASS_DEF_COUNTKERNELFLOPS
#include "compiler/codegen/Passes.h.inc"

using namespace mlir;

namespace {

/// Trips of `loop`, over all its dimensions (an scf.forall may have several),
/// when its bounds are constants.
std::optional<int64_t> staticTrips(LoopLikeOpInterface loop) {
  std::optional<SmallVector<OpFoldResult>> lbs = loop.getLoopLowerBounds(),
                                           ubs = loop.getLoopUpperBounds(),
                                           steps = loop.getLoopSteps();
  if (!lbs || !ubs || !steps)
    return std::nullopt;
  int64_t trips = 1;
  for (auto [lb, ub, step] : llvm::zip_equal(*lbs, *ubs, *steps)) {
    std::optional<int64_t> l = getConstantIntValue(lb), u = getConstantIntValue(ub),
                           s = getConstantIntValue(step);
    if (!l || !u || !s || *s <= 0)
      return std::nullopt;
    trips *= (*u - *l + *s - 1) / *s;
  }
  return trips;
}

/// The float-valued ops of the body (yields and constants are free), once
/// per point of the iteration space and per trip of the loops around the op
/// (a lowering that streams over blocks): a convolution's multiply and add
/// count two, as benchmarks count them. (acnn's shapes are all static.)
int64_t countFlops(linalg::LinalgOp op) {
  int64_t perPoint = llvm::count_if(op.getBlock()->without_terminator(), [](Operation &inner) {
    return !inner.hasTrait<OpTrait::ConstantLike>() &&
           llvm::any_of(inner.getResultTypes(), llvm::IsaPred<FloatType>);
  });
  int64_t points = 1;
  for (int64_t extent : op.getStaticLoopRanges())
    points *= extent;
  for (auto loop = op->getParentOfType<LoopLikeOpInterface>(); loop;
       loop = loop->getParentOfType<LoopLikeOpInterface>())
    if (std::optional<int64_t> trips = staticTrips(loop))
      points *= *trips;
  return perPoint * points;
}

struct CountKernelFlops : impl::CountKernelFlopsBase<CountKernelFlops> {
  void runOnOperation() override {
    llvm::DenseMap<StringAttr, int64_t> flops = countKernelFlops(getOperation());
    renameKernels(getOperation(), [&](StringAttr name) {
      return StringAttr::get(&getContext(),
                             name.getValue() + "_flops" + std::to_string(flops.lookup(name)));
    });
  }
};

} // namespace

llvm::DenseMap<StringAttr, int64_t> countKernelFlops(Operation *root) {
  llvm::DenseMap<StringAttr, int64_t> flops;
  root->walk([&](linalg::LinalgOp op) {
    if (StringAttr kernel = kernelNameOf(op->getLoc()))
      flops[kernel] += countFlops(op);
  });
  return flops;
}

} // namespace acnn
