// acnn-emit-model-entry: the model's exported entry point for the runtime.
#include "compiler/codegen/Passes.h"
#include "dialects/acnn/AcnnDialect.h"

#include "mlir/IR/Builders.h"

namespace acnn {

#define GEN_PASS_DEF_EMITMODELENTRY
#include "compiler/codegen/Passes.h.inc"

using namespace mlir;

namespace {

/// void name(void **args) { callee(args[0], ..., args[n-1]); }
LLVM::LLVMFuncOp createUnpackingEntry(OpBuilder &b, Location loc, StringRef name,
                                      LLVM::LLVMFuncOp callee) {
  auto ptr = LLVM::LLVMPointerType::get(b.getContext());
  auto fn = LLVM::LLVMFuncOp::create(
      b, loc, name, LLVM::LLVMFunctionType::get(LLVM::LLVMVoidType::get(b.getContext()), {ptr}));
  OpBuilder::InsertionGuard guard(b);
  Block *body = fn.addEntryBlock(b);
  b.setInsertionPointToStart(body);
  SmallVector<Value> args;
  for (unsigned i = 0; i < callee.getNumArguments(); ++i) {
    Value slot = LLVM::GEPOp::create(b, loc, ptr, ptr, body->getArgument(0),
                                     ArrayRef<LLVM::GEPArg>{int32_t(i)});
    args.push_back(LLVM::LoadOp::create(b, loc, ptr, slot));
  }
  LLVM::CallOp::create(b, loc, callee, args);
  LLVM::ReturnOp::create(b, loc, ValueRange{});
  return fn;
}

struct EmitModelEntry : impl::EmitModelEntryBase<EmitModelEntry> {
  using EmitModelEntryBase::EmitModelEntryBase;

  void runOnOperation() override {
    ModuleOp model = getOperation();
    std::string prefix = modelSymbolPrefix(model);
    auto main = model.lookupSymbol<LLVM::LLVMFuncOp>(kEntryName);
    auto meta = model.lookupSymbol<LLVM::GlobalOp>(prefix + "meta");
    if (!main || !meta) {
      model.emitError("expected the lowered llvm.func @main and the global @")
          << prefix << "meta (run acnn-emit-model-meta before lowering)";
      return signalPassFailure();
    }
    bool barePointers = llvm::all_of(main.getArgumentTypes(), llvm::IsaPred<LLVM::LLVMPointerType>);
    if (!barePointers || !isa<LLVM::LLVMVoidType>(main.getFunctionType().getReturnType())) {
      main.emitError("@main must take its inputs and outputs as bare pointers and return "
                     "nothing (lower with out-params and the bare-pointer calling convention)");
      return signalPassFailure();
    }
    // Private, so a model links beside a C `main` and beside other models.
    main.setSymName(prefix + "main");
    main.setLinkage(LLVM::Linkage::Internal);

    OpBuilder b = OpBuilder::atBlockEnd(model.getBody());
    createUnpackingEntry(b, model.getLoc(), prefix + "entry", main);
    // A model named "model" already has these names.
    if (!sharedLibrary || prefix == "acnn_model_")
      return;
    LLVM::GlobalOp::create(b, meta.getLoc(), meta.getGlobalType(), /*isConstant=*/true,
                           LLVM::Linkage::External, "acnn_model_meta", *meta.getValue());
    createUnpackingEntry(b, model.getLoc(), "acnn_model_entry", main);
  }
};

} // namespace
} // namespace acnn
