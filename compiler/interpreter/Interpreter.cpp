#include "compiler/interpreter/Interpreter.h"
#include "compiler/interpreter/Kernels.h"
#include "dialects/acnn/ShapeUtils.h"
// Only for kNameAttr and kEntryName, which name a model's parts.
#include "dialects/acnn/AcnnDialect.h"

#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/Verifier.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/Support/raw_ostream.h"

using namespace mlir;

namespace acnn {

namespace {

std::string inputName(func::FuncOp entry, unsigned i) {
  if (auto name = entry.getArgAttrOfType<StringAttr>(i, kNameAttr))
    return "'" + name.str() + "'";
  return "#" + std::to_string(i);
}

llvm::Error checkInputs(func::FuncOp entry, ArrayRef<Tensor> inputs) {
  if (inputs.size() != entry.getNumArguments())
    return llvm::createStringError("model expects %u inputs, got %zu",
                                   entry.getNumArguments(), inputs.size());
  for (auto [i, t] : llvm::enumerate(inputs)) {
    auto type = llvm::dyn_cast<RankedTensorType>(entry.getArgument(i).getType());
    if (!type || !type.getElementType().isF32() || !type.hasStaticShape())
      return llvm::createStringError("input %s is not a static f32 tensor",
                                     inputName(entry, i).c_str());
    if (ArrayRef<int64_t>(t.shape) != type.getShape())
      return llvm::createStringError("input %s has shape %s, the model expects %s",
                                     inputName(entry, i).c_str(),
                                     formatShape(t.shape).c_str(),
                                     formatShape(type.getShape()).c_str());
    if (int64_t(t.data.size()) != t.numel())
      return llvm::createStringError("input %s holds %zu values, its shape %s needs %lld",
                                     inputName(entry, i).c_str(), t.data.size(),
                                     formatShape(t.shape).c_str(), (long long)t.numel());
  }
  return llvm::Error::success();
}

/// Verifying first is what lets the kernels trust attributes and shapes.
llvm::Error verifyEntry(func::FuncOp entry) {
  std::string message;
  llvm::raw_string_ostream os(message);
  ScopedDiagnosticHandler handler(entry.getContext(), [&](Diagnostic &d) {
    os << d.getLocation() << ": " << d << "\n";
    return success();
  });
  if (failed(verify(entry)))
    return llvm::createStringError("invalid model: %s", message.c_str());
  if (entry.isExternal())
    return llvm::createStringError("function '%s' has no body", entry.getSymName().str().c_str());
  if (!entry.getBody().hasOneBlock())
    return llvm::createStringError("function '%s' has more than one block",
                                   entry.getSymName().str().c_str());
  return llvm::Error::success();
}

} // namespace

llvm::Expected<std::vector<Tensor>> interpret(func::FuncOp entry, ArrayRef<Tensor> inputs) {
  if (llvm::Error e = verifyEntry(entry))
    return std::move(e);
  if (llvm::Error e = checkInputs(entry, inputs))
    return std::move(e);

  Block &body = entry.getBody().front();
  // The last op that reads each value: an intermediate is freed right after it.
  llvm::DenseMap<Value, Operation *> lastUser;
  for (Operation &op : body)
    for (Value v : op.getOperands())
      lastUser[v] = &op;

  llvm::DenseMap<Value, Tensor> live;
  auto lookup = [&](Value v) -> const Tensor * {
    if (auto arg = llvm::dyn_cast<BlockArgument>(v))
      return &inputs[arg.getArgNumber()];
    auto it = live.find(v);
    return it == live.end() ? nullptr : &it->second;
  };

  for (Operation &op : body) {
    llvm::SmallVector<const Tensor *> operands;
    for (Value v : op.getOperands())
      operands.push_back(lookup(v));

    if (auto ret = llvm::dyn_cast<func::ReturnOp>(op)) {
      // Copies, not moves: one value may be returned twice.
      std::vector<Tensor> results;
      for (const Tensor *t : operands)
        results.push_back(*t);
      return results;
    }

    llvm::SmallVector<Tensor> results;
    if (llvm::Error e = evaluate(&op, operands, results))
      return std::move(e);
    for (Value v : op.getOperands())
      if (lastUser[v] == &op)
        live.erase(v);
    for (auto [value, tensor] : llvm::zip_equal(op.getResults(), results))
      if (!value.use_empty())
        live[value] = std::move(tensor);
  }
  return llvm::createStringError("function '%s' does not end in func.return",
                                 entry.getSymName().str().c_str());
}

llvm::Expected<std::vector<Tensor>> interpret(ModuleOp model, ArrayRef<Tensor> inputs) {
  auto entry = model.lookupSymbol<func::FuncOp>(kEntryName);
  if (!entry)
    return llvm::createStringError("model has no func.func @%s", kEntryName.data());
  return interpret(entry, inputs);
}

} // namespace acnn
