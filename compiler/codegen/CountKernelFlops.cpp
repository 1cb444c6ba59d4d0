// acnn-count-kernel-flops: each kernel's name ends in its floating-point work.
#include "compiler/codegen/KernelLocation.h"
#include "compiler/codegen/Passes.h"

#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/Interfaces/LoopLikeInterface.h"
#include "llvm/ADT/EquivalenceClasses.h"

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

constexpr llvm::StringLiteral kFlopsSuffix = "_flops";

/// A kernel name as the name before its FLOPs suffix and the FLOPs (0 without one).
std::pair<StringRef, int64_t> splitFlops(StringAttr name) {
  StringRef text = name.getValue();
  size_t at = text.rfind(kFlopsSuffix);
  int64_t flops = 0;
  if (at == StringRef::npos || text.drop_front(at + kFlopsSuffix.size()).getAsInteger(10, flops))
    return {text, 0};
  return {text.take_front(at), flops};
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
                             name.getValue() + kFlopsSuffix + std::to_string(flops.lookup(name)));
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

void mergeKernelNames(Operation *root, ArrayRef<std::pair<StringAttr, StringAttr>> merged) {
  llvm::EquivalenceClasses<StringAttr> classes;
  for (auto [a, b] : merged)
    if (a && b && a != b)
      classes.unionSets(a, b);
  llvm::DenseMap<StringAttr, StringAttr> renamed;
  for (auto it = classes.begin(); it != classes.end(); ++it) {
    if (!(*it)->isLeader())
      continue;
    StringAttr heaviest;
    int64_t heaviestFlops = -1, total = 0;
    for (auto member = classes.member_begin(**it); member != classes.member_end(); ++member) {
      int64_t flops = splitFlops(*member).second;
      total += flops;
      if (flops > heaviestFlops) {
        heaviest = *member;
        heaviestFlops = flops;
      }
    }
    auto name = StringAttr::get(root->getContext(),
                                splitFlops(heaviest).first + kFlopsSuffix + std::to_string(total));
    for (auto member = classes.member_begin(**it); member != classes.member_end(); ++member)
      renamed[*member] = name;
  }
  if (renamed.empty())
    return;
  renameKernels(root, [&](StringAttr name) {
    StringAttr merged = renamed.lookup(name);
    return merged ? merged : name;
  });
}

} // namespace acnn
