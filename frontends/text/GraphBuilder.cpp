#include "frontends/text/GraphBuilder.h"
#include "dialects/acnn/ShapeUtils.h"

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/Verifier.h"
#include "llvm/Support/raw_ostream.h"

using namespace mlir;

namespace acnn {

GraphBuilder::GraphBuilder(MLIRContext &ctx, llvm::StringRef modelName,
                           std::unique_ptr<WeightSource> weights)
    : b(&ctx), weights(std::move(weights)) {
  ctx.loadDialect<AcnnDialect, func::FuncDialect>();
  Location l = NameLoc::get(b.getStringAttr(modelName));
  module = ModuleOp::create(l, modelName);
  b.setInsertionPointToEnd(module->getBody());
  entry = func::FuncOp::create(b, l, kEntryName, b.getFunctionType({}, {}));
  b.setInsertionPointToStart(entry.addEntryBlock());
}

Location GraphBuilder::loc(llvm::StringRef nodeName) {
  return NameLoc::get(b.getStringAttr(nodeName));
}

Value GraphBuilder::addInput(llvm::StringRef name, llvm::ArrayRef<int64_t> shape) {
  Type type = RankedTensorType::get(shape, b.getF32Type());
  unsigned index = entry.getNumArguments();
  if (failed(entry.insertArgument(index, type, b.getDictionaryAttr(b.getNamedAttr(
                                                   kNameAttr, b.getStringAttr(name))),
                                  loc(name))))
    llvm_unreachable("appending an argument to a function without results cannot fail");
  return entry.getArgument(index);
}

void GraphBuilder::addOutput(llvm::StringRef name, Value value) {
  outputs.push_back(value);
  outputNames.push_back(name.str());
}

Value GraphBuilder::constant(llvm::ArrayRef<int64_t> shape, llvm::ArrayRef<float> data,
                             Location l) {
  auto type = RankedTensorType::get(shape, b.getF32Type());
  return ConstantOp::create(b, l, DenseElementsAttr::get(type, data));
}

Value GraphBuilder::scalar(float value, Location l) { return constant({}, {value}, l); }

llvm::Expected<Value> GraphBuilder::param(llvm::StringRef name, llvm::ArrayRef<int64_t> shape) {
  if (!weights)
    return llvm::createStringError("weight '%s': the model has no weight source",
                                   name.str().c_str());
  llvm::Expected<std::vector<float>> data = weights->get(name, shape);
  if (!data)
    return data.takeError();
  return constant(shape, *data, loc(name));
}

llvm::Error GraphBuilder::inferResultTypes(
    OperationState &state, llvm::function_ref<LogicalResult(SmallVectorImpl<Type> &)> infer) {
  std::string message;
  SmallVector<Type> types;
  LogicalResult inferred = failure();
  {
    ScopedDiagnosticHandler handler(b.getContext(), [&](Diagnostic &d) {
      message += (message.empty() ? "" : "; ") + d.str();
      return success();
    });
    inferred = infer(types);
  }
  if (failed(inferred))
    return llvm::createStringError(message.empty() ? "result type inference failed" : message);
  state.types.assign(types.begin(), types.end());
  return llvm::Error::success();
}

llvm::Error GraphBuilder::checkResultSizes(TypeRange types) {
  for (Type type : types)
    if (auto tensor = dyn_cast<RankedTensorType>(type))
      if (std::optional<std::string> why = oversizeReason(tensor.getShape()))
        return llvm::createStringError("result " + *why);
  return llvm::Error::success();
}

llvm::Expected<OwningOpRef<ModuleOp>> GraphBuilder::finish() {
  if (outputs.empty())
    return llvm::createStringError("model '%s' has no outputs",
                                   module->getSymName().value_or("").str().c_str());
  func::ReturnOp::create(b, entry.getLoc(), outputs);
  SmallVector<Type> resultTypes;
  for (Value v : outputs)
    resultTypes.push_back(v.getType());
  entry.setFunctionType(b.getFunctionType(entry.getArgumentTypes(), resultTypes));
  for (auto [i, name] : llvm::enumerate(outputNames))
    entry.setResultAttr(i, kNameAttr, b.getStringAttr(name));

  std::string message;
  llvm::raw_string_ostream os(message);
  ScopedDiagnosticHandler handler(b.getContext(), [&](Diagnostic &d) {
    os << d.getLocation() << ": " << d << "\n";
    return success();
  });
  if (failed(verify(*module)))
    return llvm::createStringError("invalid model: %s", message.c_str());
  return std::move(module);
}

} // namespace acnn
