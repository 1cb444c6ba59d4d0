// acnn-outline-kernels: kernels of @main (the ops between their profiling
// hooks) that occur more than once, identical, become one function that
// each occurrence calls. A ViT's twelve blocks then give LLVM one
// copy of each kernel instead of twelve, and @main shrinks (its optimisation and
// instruction selection grow faster than linearly with its size).
#include "compiler/codegen/IsolatedKernel.h"
#include "compiler/codegen/KernelLocation.h"
#include "compiler/codegen/Passes.h"
#include "compiler/codegen/RuntimeArguments.h"

#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "llvm/ADT/SetVector.h"
#include "llvm/ADT/StringMap.h"

namespace acnn {

#define GEN_PASS_DEF_OUTLINEKERNELS
#include "compiler/codegen/Passes.h.inc"

using namespace mlir;

namespace {

/// A value a function can take or return under the bare-pointer calling
/// convention @main is lowered with: a scalar, a pointer, or a memref of
/// static shape and identity layout.
bool passable(Type type) {
  if (auto memref = dyn_cast<MemRefType>(type))
    return memref.hasStaticShape() && memref.getLayout().isIdentity();
  return type.isIntOrIndexOrFloat() || isa<LLVM::LLVMPointerType>(type);
}

/// Ops whose results later kernels get by a copy of the op instead of a
/// kernel's result: pure, without regions (views, weights, constants).
bool copyable(Operation *op) { return op->getNumRegions() == 0 && isPure(op); }

/// Copyable ops a kernel may recompute instead of taking their result; not
/// weights, whose symbol would make equal kernels differ.
bool recomputable(Operation *op) {
  return op && copyable(op) && !isa<memref::GetGlobalOp>(op);
}

/// One kernel: the ops strictly between its begin and end hooks.
struct Range {
  Operation *begin, *end; // the hooks, in @main's block
  Operation *first() const { return begin->getNextNode(); }
  bool empty() const { return begin->getNextNode() == end; }
  SmallVector<Operation *> ops() const {
    SmallVector<Operation *> ops;
    for (Operation *op = first(); op != end; op = op->getNextNode())
      ops.push_back(op);
    return ops;
  }
};

struct OutlineKernels : impl::OutlineKernelsBase<OutlineKernels> {
  void runOnOperation() override {
    ModuleOp model = getOperation();
    func::FuncOp main = lookupStraightLineMain(model);
    if (!main)
      return signalPassFailure();
    Block &body = main.front();
    std::vector<Range> ranges;
    Operation *open = nullptr;
    for (Operation &op : body) {
      if (isCallOf(&op, kKernelBeginHook))
        open = &op;
      else if (isCallOf(&op, kKernelEndHook) && open) {
        ranges.push_back({open, &op});
        open = nullptr;
      }
    }
    // A value a kernel's ops make and ops after it use stays in @main: views
    // are recomputed where they are used rather than returned.
    for (const Range &r : ranges) {
      hoistInvariants(r);
      localizeViews(r);
    }
    // Identical bodies (same ops, types, constants and arguments) compute
    // the same: their kernels call one function.
    llvm::StringMap<SmallVector<func::FuncOp>> byBody;
    SmallVector<StringRef> order;
    int64_t count = 0;
    for (const Range &r : ranges) {
      if (r.empty())
        continue;
      func::FuncOp kernel = outline(model, main, r, count);
      if (!kernel)
        continue;
      ++count;
      auto [it, added] = byBody.try_emplace(kernelText(kernel));
      if (added)
        order.push_back(it->first());
      it->second.push_back(kernel);
    }
    for (StringRef text : order) {
      SmallVector<func::FuncOp> &same = byBody[text];
      // A kernel that occurs once goes back into @main: behind a call, LLVM
      // knows less of its pointers (measured 3-20% slower on CNNs).
      if (same.size() == 1) {
        inlineBack(main, same.front());
        continue;
      }
      for (func::FuncOp kernel : llvm::drop_begin(same)) {
        if (failed(
                SymbolTable::replaceAllSymbolUses(kernel, same.front().getSymNameAttr(), main))) {
          kernel.emitError("acnn-outline-kernels: cannot find the calls of ") << kernel.getName();
          return signalPassFailure();
        }
        kernel.erase();
      }
    }
  }

  /// Replaces the one call of `kernel` in `main` by its body.
  static void inlineBack(func::FuncOp main, func::FuncOp kernel) {
    func::CallOp site;
    main.walk([&](func::CallOp call) {
      if (call.getCallee() == kernel.getSymName())
        site = call;
    });
    inlineKernel(site, kernel, llvm::DenseMap<StringAttr, StringAttr>());
    kernel.erase();
  }

  /// Moves the copyable ops of `r` that depend on nothing it computes (views
  /// of the arena, weights, constants) before it: they become arguments, so
  /// that kernels differing only in where their tensors live are identical.
  void hoistInvariants(const Range &r) {
    // An operand made in @main's block is made before the range or in it.
    // Asked of the block's order instead, each query after a move would
    // renumber the whole block: quadratic in @main's length (100k Relus).
    SmallVector<Operation *> ops = r.ops();
    llvm::SmallPtrSet<Operation *, 32> inside(ops.begin(), ops.end());
    for (Operation *op : ops) {
      if (!copyable(op))
        continue;
      bool invariant = llvm::all_of(op->getOperands(), [&](Value v) {
        Operation *def = v.getDefiningOp();
        return !def || !inside.contains(def);
      });
      if (invariant) {
        op->moveBefore(r.begin);
        inside.erase(op);
      }
    }
  }

  /// Gives each later use of a copyable op of `r` a copy of the op, just
  /// before the user.
  void localizeViews(const Range &r) {
    SmallVector<Operation *> ops = r.ops();
    // A user outside the range (as for hoistInvariants, not asked of the
    // block's order) comes after it: nothing before uses what it makes.
    llvm::SmallPtrSet<Operation *, 32> inside(ops.begin(), ops.end());
    // Backwards, so a copied view's operands, made earlier in the range,
    // are looked at after it.
    for (Operation *op : llvm::reverse(ops)) {
      if (!copyable(op))
        continue;
      for (OpOperand &use : llvm::make_early_inc_range(op->getUses())) {
        Operation *user = op->getBlock()->findAncestorOpInBlock(*use.getOwner());
        if (!user || user == r.end || inside.contains(user))
          continue;
        OpBuilder b(user);
        use.set(b.clone(*op)->getResult(cast<OpResult>(use.get()).getResultNumber()));
      }
    }
  }

  /// `r` as a function called in its place, or null where a value it takes
  /// or returns cannot pass a function boundary.
  func::FuncOp outline(ModuleOp model, func::FuncOp main, const Range &r, int64_t index) {
    SmallVector<Operation *> moved = r.ops();
    llvm::SmallPtrSet<Operation *, 32> inside(moved.begin(), moved.end());
    auto isInside = [&](Operation *op) {
      Block *block = r.begin->getBlock();
      Operation *top = op ? block->findAncestorOpInBlock(*op) : nullptr;
      return top && inside.contains(top);
    };
    // Values from before the range: arguments, or recomputed inside when
    // they cannot be passed (strided views of arguments).
    llvm::SetVector<Value> arguments;
    llvm::SetVector<Operation *> recomputed;
    // Takes `root` in: as an argument, or recomputed from values taken in
    // turn, depth first and left to right. Iterative: a chain of views can be
    // as long as the graph (100k in-place Relus); an op already recomputed
    // has had its operands taken.
    SmallVector<std::pair<Operation *, unsigned>> pending; // an op, its next operand
    auto start = [&](Value v) {
      if (passable(v.getType())) {
        Operation *def = v.getDefiningOp();
        // Small constants are part of the kernel (its tile offsets and
        // bounds); views of the arena at different offsets are not.
        if (def && def->hasTrait<OpTrait::ConstantLike>() && !isa<ShapedType>(v.getType()))
          recomputed.insert(def);
        else
          arguments.insert(v);
        return true;
      }
      Operation *def = v.getDefiningOp();
      if (!recomputable(def))
        return false;
      if (!recomputed.contains(def))
        pending.push_back({def, 0});
      return true;
    };
    auto take = [&](Value root) {
      pending.clear();
      if (!start(root))
        return false;
      while (!pending.empty()) {
        auto [def, next] = pending.back();
        if (next == def->getNumOperands()) {
          recomputed.insert(def);
          pending.pop_back();
        } else {
          ++pending.back().second;
          if (!start(def->getOperand(next)))
            return false;
        }
      }
      return true;
    };
    bool ok = true;
    // In program order, so that equal kernels get equal argument lists.
    for (Operation *op : moved)
      op->walk([&](Operation *nested) {
        for (Value operand : nested->getOperands()) {
          Operation *def = operand.getDefiningOp();
          bool fromInside = def ? isInside(def)
                                : isInside(cast<BlockArgument>(operand).getOwner()->getParentOp());
          if (!fromInside)
            ok &= take(operand);
        }
      });
    SmallVector<Value> results;
    for (Operation *op : moved) {
      for (Value result : op->getResults())
        if (llvm::any_of(result.getUsers(), [&](Operation *u) { return !isInside(u); })) {
          // Memrefs come back from a bare-pointer call as a pointer only.
          ok &= result.getType().isIntOrIndexOrFloat();
          results.push_back(result);
        }
    }
    if (!ok)
      return nullptr;

    MLIRContext *ctx = model.getContext();
    auto b = OpBuilder::atBlockEnd(model.getBody());
    auto type = FunctionType::get(ctx, llvm::to_vector(llvm::map_range(arguments, [](Value v) { return v.getType(); })),
                                  llvm::to_vector(llvm::map_range(results, [](Value v) { return v.getType(); })));
    auto kernel = func::FuncOp::create(b, r.first()->getLoc(),
                                       (main.getSymName() + "_kernel" + std::to_string(index)).str(), type);
    kernel.setPrivate();
    kernel->setAttr(kKernelFunctionAttr, UnitAttr::get(ctx));
    markDisjointArguments(kernel, arguments.getArrayRef());
    Block *entry = kernel.addEntryBlock();
    IRMapping map;
    for (auto [value, arg] : llvm::zip(arguments, entry->getArguments()))
      map.map(value, arg);
    b.setInsertionPointToStart(entry);
    // Recomputed ops (all in @main's block) in their order there, which
    // dominates their uses.
    SmallVector<Operation *> ordered(recomputed.begin(), recomputed.end());
    llvm::sort(ordered, [](Operation *x, Operation *y) { return x->isBeforeInBlock(y); });
    for (Operation *op : ordered)
      b.clone(*op, map);
    OpBuilder call(r.end);
    auto site = func::CallOp::create(call, r.first()->getLoc(), kernel, arguments.getArrayRef());
    for (Operation *op : moved)
      op->moveBefore(entry, entry->end());
    b.setInsertionPointToEnd(entry);
    func::ReturnOp::create(b, moved.back()->getLoc(), results);
    for (auto [result, replacement] : llvm::zip(results, site.getResults()))
      result.replaceUsesWithIf(replacement, [&](OpOperand &use) {
        return use.getOwner()->getParentOfType<func::FuncOp>() != kernel;
      });
    for (auto [value, arg] : llvm::zip(arguments.getArrayRef(), entry->getArguments()))
      Value(value).replaceUsesWithIf(arg, [&](OpOperand &use) {
        return use.getOwner()->getParentOfType<func::FuncOp>() == kernel;
      });
    for (auto [original, copy] : llvm::zip(ordered, llvm::make_range(entry->begin(), std::next(entry->begin(), ordered.size()))))
      for (auto [from, to] : llvm::zip(original->getResults(), copy.getResults()))
        from.replaceUsesWithIf(to, [&](OpOperand &use) {
          return use.getOwner()->getParentOfType<func::FuncOp>() == kernel;
        });
    return kernel;
  }

  /// Where an argument's memory lies, as far as it is known: a weight (never
  /// written), or bytes [begin, end) of the arena.
  struct Extent {
    enum { Weight, Arena, Unknown } kind = Unknown;
    int64_t begin = 0, end = 0;
  };
  static Extent extentOf(Value v) {
    if (v.getDefiningOp<memref::GetGlobalOp>())
      return {Extent::Weight};
    auto view = v.getDefiningOp<memref::ViewOp>();
    auto arg = view ? dyn_cast<BlockArgument>(view.getSource()) : BlockArgument();
    auto func = arg ? dyn_cast<func::FuncOp>(arg.getOwner()->getParentOp()) : func::FuncOp();
    std::optional<int64_t> shift =
        view ? getConstantIntValue(view.getByteShift()) : std::optional<int64_t>();
    auto type = cast<MemRefType>(v.getType());
    if (!func || !func.getArgAttr(arg.getArgNumber(), kArenaAttr) || !shift ||
        !type.hasStaticShape() || !type.getElementType().isIntOrFloat())
      return {};
    int64_t bytes = type.getNumElements() * type.getElementTypeBitWidth() / 8;
    return {Extent::Arena, *shift, *shift + bytes};
  }

  /// Marks `llvm.noalias` the memref arguments that share memory with no
  /// other argument: weights (read only), and arena views disjoint from
  /// every other argument's bytes (which only the arena's views can share).
  /// Without it LLVM must assume a kernel's stores may change what it reads.
  static void markDisjointArguments(func::FuncOp kernel, ArrayRef<Value> arguments) {
    SmallVector<Extent> extents;
    for (Value v : arguments)
      extents.push_back(isa<MemRefType>(v.getType()) ? extentOf(v) : Extent{Extent::Weight});
    // A memref of unknown extent may overlap any view of the arena, unless
    // it is one of @main's own buffers (the inputs and outputs), which are
    // not in the arena.
    bool unknownArena = false;
    for (auto [v, e] : llvm::zip(arguments, extents)) {
      auto arg = dyn_cast<BlockArgument>(v);
      bool callerBuffer = arg && !cast<func::FuncOp>(arg.getOwner()->getParentOp())
                                      .getArgAttr(arg.getArgNumber(), kArenaAttr);
      unknownArena |= e.kind == Extent::Unknown && !callerBuffer;
    }
    for (auto [i, v] : llvm::enumerate(arguments)) {
      if (!isa<MemRefType>(v.getType()))
        continue;
      const Extent &e = extents[i];
      bool disjoint = e.kind == Extent::Weight;
      if (e.kind == Extent::Arena && !unknownArena) {
        disjoint = true;
        for (auto [j, other] : llvm::enumerate(extents))
          if (j != i && other.kind == Extent::Arena && other.begin < e.end && e.begin < other.end)
            disjoint = false;
      }
      if (disjoint)
        kernel.setArgAttr(i, "llvm.noalias", UnitAttr::get(kernel.getContext()));
    }
  }
};

} // namespace
} // namespace acnn
