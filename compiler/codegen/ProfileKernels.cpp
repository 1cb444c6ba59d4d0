// acnn-profile-kernels: bracket each kernel of @main with the runtime's timers.
#include "compiler/codegen/KernelLocation.h"
#include "compiler/codegen/ModelMeta.h"
#include "compiler/codegen/Passes.h"
#include "compiler/codegen/RuntimeArguments.h"
#include "dialects/acnn/AcnnDialect.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/IR/Builders.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

namespace acnn {

#define GEN_PASS_DEF_PROFILEKERNELS
#include "compiler/codegen/Passes.h.inc"

using namespace mlir;

namespace {

/// Whether `op` reads or writes memory, itself or in its regions. Only such
/// ops delimit kernels: allocations, views and constants cost nothing, and
/// canonicalisation moves them about.
bool doesWork(Operation *op) {
  auto effects = getEffectsRecursively(op);
  return !effects || llvm::any_of(*effects, [](const MemoryEffects::EffectInstance &e) {
    return isa<MemoryEffects::Read, MemoryEffects::Write>(e.getEffect());
  });
}

/// void name(acnn_context *, int32_t).
func::FuncOp declareTimer(ModuleOp model, llvm::StringRef name) {
  if (auto existing = model.lookupSymbol<func::FuncOp>(name))
    return existing;
  MLIRContext *ctx = model.getContext();
  auto b = OpBuilder::atBlockEnd(model.getBody());
  auto type = b.getFunctionType({LLVM::LLVMPointerType::get(ctx), b.getI32Type()}, {});
  auto timer = func::FuncOp::create(b, model.getLoc(), name, type);
  timer.setPrivate();
  return timer;
}

/// Inserts the timer calls and numbers the kernels in order of appearance.
struct KernelTimers {
  KernelTimers(ModuleOp model, Value context)
      : begin(declareTimer(model, kKernelBeginHook)), end(declareTimer(model, kKernelEndHook)),
        context(context) {}

  void call(OpBuilder &b, Location loc, func::FuncOp timer, StringAttr kernel) {
    auto [it, added] = index.try_emplace(kernel, kernels.size());
    if (added)
      kernels.push_back(kernel);
    Value number = arith::ConstantIntOp::create(b, loc, b.getI32Type(), it->second);
    func::CallOp::create(b, loc, timer, ValueRange{context, number});
  }

  /// The metadata's kernel records, by number.
  std::string records() const {
    std::string text;
    llvm::raw_string_ostream os(text);
    for (StringAttr kernel : kernels) {
      os << "kernel ";
      writeMetaName(os, kernel.getValue());
      os << '\n';
    }
    return text;
  }

  func::FuncOp begin, end;
  Value context;
  llvm::DenseMap<StringAttr, int32_t> index;
  SmallVector<StringAttr> kernels;
};

struct ProfileKernels : impl::ProfileKernelsBase<ProfileKernels> {
  void runOnOperation() override {
    ModuleOp model = getOperation();
    func::FuncOp main = lookupStraightLineMain(model);
    if (!main)
      return signalPassFailure();
    KernelTimers timers(model, getOrAddRuntimeArguments(main).context);
    Block &body = main.front();

    // Every op falls in one bracket: a kernel's starts after the previous
    // kernel's last op, so work that carries no kernel (a copy bufferisation
    // added) counts towards the kernel that needed it.
    StringAttr open;
    Operation *last = nullptr;
    for (Operation &op : llvm::make_early_inc_range(body.without_terminator())) {
      StringAttr kernel = doesWork(&op) ? kernelNameOf(&op) : StringAttr();
      if (!kernel)
        continue;
      if (kernel != open) {
        OpBuilder b(&op);
        if (open) {
          b.setInsertionPointAfter(last);
          timers.call(b, last->getLoc(), timers.end, open);
        } else {
          b.setInsertionPointToStart(&body);
        }
        timers.call(b, op.getLoc(), timers.begin, kernel);
        open = kernel;
      }
      last = &op;
    }
    if (open) {
      OpBuilder b(body.getTerminator());
      timers.call(b, last->getLoc(), timers.end, open);
    }
    if (failed(appendModelMeta(model, timers.records())))
      signalPassFailure();
  }
};

} // namespace
} // namespace acnn
