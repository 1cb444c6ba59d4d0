#include "compiler/codegen/IsolatedKernel.h"
#include "compiler/codegen/KernelLocation.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/IRMapping.h"
#include "llvm/ADT/SetVector.h"

namespace acnn {

using namespace mlir;

namespace {

/// A constant the kernel keeps as its own op rather than an argument: a
/// scalar or a splat (a fill value, a padding value, a bias broadcast of one
/// value), which the transforms may fold. Weights stay arguments: their
/// values would make identical kernels differ.
bool keptInside(Operation *def) {
  if (!def || !def->hasTrait<OpTrait::ConstantLike>() || def->getNumResults() != 1)
    return false;
  Type type = def->getResult(0).getType();
  if (!isa<ShapedType>(type))
    return true;
  auto value = def->getAttrOfType<DenseElementsAttr>("value");
  return value && value.isSplat();
}

} // namespace

FailureOr<IsolatedKernel> isolateKernel(ArrayRef<Operation *> ops, StringRef name) {
  if (ops.empty())
    return failure();
  Block *block = ops.front()->getBlock();
  if (llvm::any_of(ops, [&](Operation *op) { return op->getBlock() != block; }))
    return failure();
  SmallVector<Operation *> sorted(ops);
  llvm::sort(sorted, [](Operation *a, Operation *b) { return a->isBeforeInBlock(b); });
  llvm::SmallPtrSet<Operation *, 8> inside(sorted.begin(), sorted.end());
  auto isInside = [&](Operation *op) {
    Operation *top = op ? block->findAncestorOpInBlock(*op) : nullptr;
    return top && inside.contains(top);
  };
  // Values from outside: arguments, or constants copied in.
  llvm::SetVector<Value> arguments;
  llvm::SetVector<Operation *> constants;
  for (Operation *op : sorted)
    op->walk([&](Operation *nested) {
      for (Value operand : nested->getOperands()) {
        Operation *def = operand.getDefiningOp();
        bool fromInside =
            def ? isInside(def) : isInside(cast<BlockArgument>(operand).getOwner()->getParentOp());
        if (fromInside)
          continue;
        if (keptInside(def))
          constants.insert(def);
        else
          arguments.insert(operand);
      }
    });
  // The call stands where the last op was: every result must be used after.
  Operation *last = sorted.back();
  SmallVector<Value> results;
  for (Operation *op : sorted)
    for (Value result : op->getResults()) {
      bool usedOutside = false;
      for (Operation *user : result.getUsers()) {
        if (isInside(user))
          continue;
        Operation *top = block->findAncestorOpInBlock(*user);
        if (!top || !last->isBeforeInBlock(top))
          return failure();
        usedOutside = true;
      }
      if (usedOutside)
        results.push_back(result);
    }

  auto parent = last->getParentOfType<ModuleOp>();
  auto b = OpBuilder::atBlockEnd(parent.getBody());
  auto type = b.getFunctionType(ValueRange(arguments.getArrayRef()).getTypes(),
                                ValueRange(results).getTypes());
  auto func = func::FuncOp::create(b, last->getLoc(), name, type);
  func.setPrivate();
  Block *entry = func.addEntryBlock();
  b.setInsertionPointToStart(entry);
  IRMapping map;
  for (Operation *cst : constants)
    map.map(cst->getResult(0), b.clone(*cst)->getResult(0));
  OpBuilder callBuilder(last->getBlock(), std::next(last->getIterator()));
  auto call = func::CallOp::create(callBuilder, last->getLoc(), func, arguments.getArrayRef());
  for (auto [result, replacement] : llvm::zip(results, call.getResults()))
    result.replaceUsesWithIf(replacement,
                             [&](OpOperand &use) { return !isInside(use.getOwner()); });
  for (Operation *op : sorted)
    op->moveBefore(entry, entry->end());
  b.setInsertionPointToEnd(entry);
  func::ReturnOp::create(b, last->getLoc(), results);
  auto inFunc = [&](OpOperand &use) { return func->isProperAncestor(use.getOwner()); };
  for (auto [value, arg] : llvm::zip(arguments, entry->getArguments()))
    Value(value).replaceUsesWithIf(arg, inFunc);
  for (Operation *cst : constants)
    cst->getResult(0).replaceUsesWithIf(map.lookup(cst->getResult(0)), inFunc);
  return IsolatedKernel{func, call};
}

std::string kernelText(func::FuncOp func) {
  StringAttr name = func.getSymNameAttr();
  func.setSymName("kernel");
  std::string text;
  llvm::raw_string_ostream os(text);
  func->print(os, OpPrintingFlags().useLocalScope().assumeVerified());
  func.setSymNameAttr(name);
  return text;
}

SmallVector<StringAttr> kernelNamesOf(func::FuncOp func) {
  SmallVector<StringAttr> names;
  func.walk<WalkOrder::PreOrder>(
      [&](Operation *op) { names.push_back(kernelNameOf(op->getLoc())); });
  return names;
}

SmallVector<Operation *> inlineKernel(func::CallOp call, func::FuncOp body,
                                      const llvm::DenseMap<StringAttr, StringAttr> &names) {
  SmallVector<Operation *> copies;
  IRMapping map;
  Block &entry = body.front();
  map.map(entry.getArguments(), call.getOperands());
  OpBuilder b(call);
  for (Operation &op : entry.without_terminator()) {
    Operation *copy = b.clone(op, map);
    if (!names.empty())
      renameKernels(copy, [&](StringAttr name) {
        StringAttr renamed = names.lookup(name);
        return renamed ? renamed : name;
      });
    copies.push_back(copy);
  }
  for (auto [result, value] : llvm::zip(call.getResults(), entry.getTerminator()->getOperands()))
    result.replaceAllUsesWith(map.lookupOrDefault(value));
  call.erase();
  return copies;
}

} // namespace acnn
