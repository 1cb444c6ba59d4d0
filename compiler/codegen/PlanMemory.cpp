// acnn-plan-memory: @main's buffers become views into the runtime's arena.
#include "compiler/codegen/ArenaPlan.h"
#include "compiler/codegen/ModelMeta.h"
#include "compiler/codegen/Passes.h"
#include "compiler/codegen/RuntimeArguments.h"
#include "dialects/acnn/AcnnDialect.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/Builders.h"
#include "mlir/Interfaces/CallInterfaces.h"
#include "mlir/Interfaces/DataLayoutInterfaces.h"
#include "mlir/Interfaces/ViewLikeInterface.h"

#include <limits>

namespace acnn {

#define GEN_PASS_DEF_PLANMEMORY
#include "compiler/codegen/Passes.h.inc"

using namespace mlir;

namespace {

/// The runtime's arena is 64-byte aligned, and so is every offset in it.
constexpr int64_t kAlignment = 64;

/// An allocation the plan can place: its size, live range and deallocations.
/// One made in an scf.forall, whose iterations may run at once, gets a slot
/// per iteration: `slotBytes` apart, indexed by the iteration.
struct Buffer {
  memref::AllocOp alloc;
  ArenaBuffer range;
  SmallVector<Operation *> deallocs;
  scf::ForallOp forall;
  int64_t slotBytes = 0;
};

/// The iterations of a forall over [0, ub) steps of 1 in each dim, if static.
std::optional<int64_t> iterations(scf::ForallOp forall) {
  auto isNot = [](int64_t v) { return [v](int64_t x) { return x != v; }; };
  ArrayRef<int64_t> ubs = forall.getStaticUpperBound();
  if (llvm::any_of(forall.getStaticLowerBound(), isNot(0)) ||
      llvm::any_of(forall.getStaticStep(), isNot(1)) ||
      llvm::is_contained(ubs, ShapedType::kDynamic))
    return std::nullopt;
  int64_t n = 1;
  for (int64_t ub : ubs)
    n *= ub;
  return n;
}

/// Row-major number of the forall's current iteration.
Value iterationNumber(OpBuilder &b, Location loc, scf::ForallOp forall) {
  ValueRange ivs = forall.getInductionVars();
  ArrayRef<int64_t> ubs = forall.getStaticUpperBound();
  Value number = ivs.front();
  for (auto [iv, ub] : llvm::zip_equal(ivs.drop_front(), ubs.drop_front())) {
    number = arith::MulIOp::create(b, loc, number, arith::ConstantIndexOp::create(b, loc, ub));
    number = arith::AddIOp::create(b, loc, number, iv);
  }
  return number;
}

class LiveRanges {
public:
  explicit LiveRanges(Block &body) : body(body) {
    for (auto [i, op] : llvm::enumerate(body))
      step[&op] = int64_t(i);
  }

  /// Where `alloc`'s buffer is used, through it or any view of it; nullopt
  /// when it escapes where the plan cannot follow it (returned, yielded,
  /// passed to a call, turned into a memref that is no view) or sits in
  /// parallel loops the plan cannot give a slot per iteration (nested ones,
  /// scf.parallel, dynamic bounds).
  std::optional<Buffer> track(memref::AllocOp alloc, const DataLayout &layout) const {
    MemRefType type = alloc.getType();
    auto forall = alloc->getParentOfType<scf::ForallOp>();
    if (!type.hasStaticShape() || !type.getLayout().isIdentity() || type.getMemorySpace() ||
        alloc.getAlignment().value_or(kAlignment) > uint64_t(kAlignment) ||
        alloc->getParentOfType<scf::ParallelOp>() ||
        (forall && (forall->getParentOfType<scf::ForallOp>() || !iterations(forall))))
      return std::nullopt;
    int64_t bytes =
        type.getNumElements() * int64_t(layout.getTypeSize(type.getElementType()).getFixedValue());
    Buffer buffer{alloc, {bytes, std::numeric_limits<int64_t>::max(), -1}, {}, forall};
    if (forall) {
      buffer.slotBytes = llvm::alignTo(bytes, kAlignment);
      buffer.range.bytes = buffer.slotBytes * *iterations(forall);
    }
    SmallVector<Value> aliases = {alloc};
    while (!aliases.empty()) {
      Value alias = aliases.pop_back_val();
      for (Operation *user : alias.getUsers()) {
        if (isa<memref::DeallocOp>(user)) {
          buffer.deallocs.push_back(user);
          continue;
        }
        if (auto view = dyn_cast<ViewLikeOpInterface>(user);
            view && view.getViewSource() == alias) {
          llvm::append_range(aliases, llvm::make_filter_range(view->getResults(), [](Value v) {
                               return isa<BaseMemRefType>(v.getType());
                             }));
          continue;
        }
        if (user->hasTrait<OpTrait::IsTerminator>() || isa<CallOpInterface>(user) ||
            llvm::any_of(user->getResultTypes(), llvm::IsaPred<BaseMemRefType>))
          return std::nullopt;
        int64_t at = step.at(body.findAncestorOpInBlock(*user));
        buffer.range.first = std::min(buffer.range.first, at);
        buffer.range.last = std::max(buffer.range.last, at);
      }
    }
    // A buffer nothing reads or writes still needs an address.
    if (buffer.range.last < 0)
      buffer.range.first = buffer.range.last = step.at(body.findAncestorOpInBlock(*alloc));
    return buffer;
  }

private:
  Block &body;
  llvm::DenseMap<Operation *, int64_t> step;
};

struct PlanMemory : impl::PlanMemoryBase<PlanMemory> {
  void runOnOperation() override {
    ModuleOp model = getOperation();
    func::FuncOp main = lookupStraightLineMain(model);
    if (!main)
      return signalPassFailure();
    LiveRanges liveRanges(main.front());
    DataLayout layout(model);
    SmallVector<Buffer> buffers;
    main.walk([&](memref::AllocOp alloc) {
      if (std::optional<Buffer> buffer = liveRanges.track(alloc, layout))
        buffers.push_back(std::move(*buffer));
    });
    auto ranges =
        llvm::to_vector(llvm::map_range(buffers, [](const Buffer &b) { return b.range; }));
    ArenaPlan plan = planArena(ranges, kAlignment);

    setArenaBytes(main, plan.bytes);
    Value arena = getOrAddRuntimeArguments(main).arena;
    for (auto [buffer, offset] : llvm::zip_equal(buffers, plan.offsets)) {
      for (Operation *dealloc : buffer.deallocs)
        dealloc->erase();
      OpBuilder b(buffer.alloc);
      Location loc = buffer.alloc.getLoc();
      Value at = arith::ConstantIndexOp::create(b, loc, offset);
      if (buffer.forall) {
        // Created one by one: operands built inside a call's arguments come
        // out in the compiler's order of evaluation (gcc's differs from clang's).
        Value slotBytes = arith::ConstantIndexOp::create(b, loc, buffer.slotBytes);
        Value number = iterationNumber(b, loc, buffer.forall);
        Value slot = arith::MulIOp::create(b, loc, number, slotBytes);
        at = arith::AddIOp::create(b, loc, at, slot);
      }
      Value view = memref::ViewOp::create(b, loc, buffer.alloc.getType(), arena, at, ValueRange{});
      buffer.alloc.replaceAllUsesWith(view);
      buffer.alloc.erase();
    }
    if (failed(appendModelMeta(model, "arena " + std::to_string(plan.bytes) + "\n")))
      signalPassFailure();
  }
};

} // namespace
} // namespace acnn
