#include "compiler/codegen/ModelMeta.h"
#include "compiler/codegen/Passes.h"

#include "llvm/Support/Format.h"

using namespace mlir;

namespace acnn {

void writeMetaName(llvm::raw_ostream &os, llvm::StringRef name) {
  for (unsigned char c : name) {
    if (c <= 0x20 || c >= 0x7f || c == '%')
      os << llvm::format("%%%02X", c);
    else
      os << c;
  }
}

llvm::StringRef metaDtype(Type tensorType) {
  Type element = cast<ShapedType>(tensorType).getElementType();
  if (element.isF32())
    return "f32";
  if (element.isSignlessInteger(64))
    return "i64";
  return "";
}

static StringAttr metaText(ModuleOp model, LLVM::GlobalOp &meta) {
  meta = model.lookupSymbol<LLVM::GlobalOp>(modelSymbolPrefix(model) + "meta");
  return meta ? dyn_cast_or_null<StringAttr>(meta.getValueAttr()) : StringAttr();
}

void eraseModelMeta(ModuleOp model) {
  LLVM::GlobalOp meta;
  metaText(model, meta);
  if (meta)
    meta.erase();
}

llvm::StringRef modelMeta(ModuleOp model) {
  LLVM::GlobalOp meta;
  StringAttr text = metaText(model, meta);
  return text ? text.getValue().drop_back() : llvm::StringRef();
}

LogicalResult appendModelMeta(ModuleOp model, llvm::StringRef records) {
  LLVM::GlobalOp meta;
  StringAttr text = metaText(model, meta);
  std::string symbol = modelSymbolPrefix(model) + "meta";
  if (!text)
    return model.emitError("expected the metadata global @")
           << symbol << " (run acnn-emit-model-meta first)";
  // The text ends in the NUL that terminates it for C.
  std::string updated = text.getValue().drop_back().str();
  updated += records;
  updated.push_back('\0');
  MLIRContext *ctx = model.getContext();
  meta.setGlobalType(LLVM::LLVMArrayType::get(IntegerType::get(ctx, 8), updated.size()));
  meta.setValueAttr(StringAttr::get(ctx, updated));
  return success();
}

} // namespace acnn
