#include "compiler/codegen/RuntimeArguments.h"

#include "dialects/acnn/AcnnDialect.h"

#include "mlir/Dialect/LLVMIR/LLVMDialect.h"

using namespace mlir;

namespace acnn {


static MemRefType arenaType(MLIRContext *ctx, int64_t bytes) {
  return MemRefType::get({bytes}, IntegerType::get(ctx, 8));
}

func::FuncOp lookupStraightLineMain(ModuleOp model) {
  auto main = model.lookupSymbol<func::FuncOp>(kEntryName);
  if (main && main.getFunctionBody().hasOneBlock())
    return main;
  model.emitError("expected a func.func @") << kEntryName << " with one block";
  return nullptr;
}

RuntimeArguments getOrAddRuntimeArguments(func::FuncOp main) {
  unsigned n = main.getNumArguments();
  if (n >= 2 && main.getArgAttr(n - 2, kArenaAttr) && main.getArgAttr(n - 1, kContextAttr))
    return {main.getArgument(n - 2), main.getArgument(n - 1)};
  MLIRContext *ctx = main.getContext();
  auto marked = [&](llvm::StringRef attr) {
    return DictionaryAttr::get(ctx, {NamedAttribute(attr, UnitAttr::get(ctx))});
  };
  Location loc = main.getLoc();
  // Appending to a function's arguments cannot fail.
  (void)main.insertArgument(n, arenaType(ctx, 0), marked(kArenaAttr), loc);
  (void)main.insertArgument(n + 1, LLVM::LLVMPointerType::get(ctx), marked(kContextAttr), loc);
  return {main.getArgument(n), main.getArgument(n + 1)};
}

void setArenaBytes(func::FuncOp main, int64_t bytes) {
  BlockArgument arena = getOrAddRuntimeArguments(main).arena;
  arena.setType(arenaType(main.getContext(), bytes));
  SmallVector<Type> inputs(main.getArgumentTypes());
  inputs[arena.getArgNumber()] = arena.getType();
  main.setType(FunctionType::get(main.getContext(), inputs, main.getResultTypes()));
}

} // namespace acnn
