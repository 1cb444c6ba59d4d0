// acnn-emit-model-meta: the metadata global the runtime parses, with the
// signature; acnn-plan-memory and acnn-profile-kernels append the rest.
#include "compiler/codegen/ModelMeta.h"
#include "compiler/codegen/Passes.h"
#include "dialects/acnn/AcnnAttrs.h"
#include "dialects/acnn/AcnnDialect.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Builders.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/raw_ostream.h"

namespace acnn {

#define GEN_PASS_DEF_EMITMODELMETA
#include "compiler/codegen/Passes.h.inc"

using namespace mlir;

std::string modelSymbolPrefix(ModuleOp model) {
  std::string name = model.getSymName().value_or("model").str();
  for (char &c : name)
    if (!llvm::isAlnum(c))
      c = '_';
  return "acnn_" + name + "_";
}

namespace {

LogicalResult writeTensor(llvm::raw_ostream &os, llvm::StringRef kind, StringAttr name, Type type,
                          Location loc) {
  auto shaped = cast<RankedTensorType>(type);
  if (shaped.getNumElements() == 0)
    return emitError(loc) << kind << " '" << (name ? name.getValue() : kind)
                          << "' has no elements; compiled models take non-empty tensors";
  llvm::StringRef dtype = metaDtype(type);
  if (dtype.empty())
    return emitError(loc) << kind << " '" << (name ? name.getValue() : kind)
                          << "' has elements of type " << shaped.getElementType()
                          << "; compiled models take f32 and i64 tensors";
  os << kind << ' ';
  writeMetaName(os, name ? name.getValue() : kind);
  os << ' ' << dtype << ' ' << shaped.getRank();
  for (int64_t d : shaped.getShape())
    os << ' ' << d;
  os << '\n';
  return success();
}

} // namespace

LogicalResult emitModelMeta(ModuleOp model) {
  auto entry = model.lookupSymbol<func::FuncOp>(kEntryName);
  if (!entry)
    return model.emitError("model has no func.func @") << kEntryName;
  std::string prefix = modelSymbolPrefix(model);
  std::string text;
  llvm::raw_string_ostream os(text);
  os << "acnn-model 1\nname " << prefix.substr(5, prefix.size() - 6) << '\n';
  bool ok = true;
  for (unsigned i = 0; i < entry.getNumArguments(); ++i)
    ok &= succeeded(writeTensor(os, "input", entry.getArgAttrOfType<StringAttr>(i, kNameAttr),
                                entry.getArgumentTypes()[i], entry.getLoc()));
  for (unsigned i = 0; i < entry.getNumResults(); ++i)
    ok &= succeeded(writeTensor(os, "output", entry.getResultAttrOfType<StringAttr>(i, kNameAttr),
                                entry.getResultTypes()[i], entry.getLoc()));
  if (!ok)
    return failure();
  // The runtime's default thread count: what the schedules were cut for.
  if (auto target = model->getAttrOfType<TargetAttr>(kTargetAttr))
    os << "threads " << target.getThreads() << '\n';
  text.push_back('\0');

  OpBuilder b = OpBuilder::atBlockEnd(model.getBody());
  auto type = LLVM::LLVMArrayType::get(b.getI8Type(), text.size());
  LLVM::GlobalOp::create(b, model.getLoc(), type, /*isConstant=*/true, LLVM::Linkage::External,
                         prefix + "meta", b.getStringAttr(text));
  return success();
}

namespace {

struct EmitModelMeta : impl::EmitModelMetaBase<EmitModelMeta> {
  void runOnOperation() override {
    if (failed(emitModelMeta(getOperation())))
      signalPassFailure();
  }
};

} // namespace
} // namespace acnn
