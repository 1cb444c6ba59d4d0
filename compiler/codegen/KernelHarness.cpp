// acnn-kernel-harness: @main reduced to one kernel of each given key.
#include "compiler/codegen/KernelHarness.h"
#include "compiler/codegen/ModelMeta.h"
#include "compiler/codegen/Passes.h"
#include "compiler/codegen/Schedule.h"
#include "compiler/codegen/ScheduleFile.h"
#include "dialects/acnn/AcnnDialect.h"

#include "mlir/IR/IRMapping.h"
#include "llvm/ADT/SetVector.h"
#include "llvm/Support/MemoryBuffer.h"

namespace acnn {

#define GEN_PASS_DEF_KERNELHARNESS
#include "compiler/codegen/Passes.h.inc"

using namespace mlir;

namespace {

constexpr llvm::StringLiteral kTags[] = {kKernelAttr, kGroupEpilogueAttr, kGroupBodyAttr,
                                         kGroupStartAttr};

bool isTagged(Operation *op) {
  return llvm::any_of(kTags, [&](llvm::StringRef tag) { return op->hasAttr(tag); });
}

/// The op that defines `v`, or holds the block of which it is an argument.
Operation *scopeOf(Value v) {
  if (auto arg = dyn_cast<BlockArgument>(v))
    return arg.getOwner()->getParentOp();
  return v.getDefiningOp();
}

/// Whether `use` reads the values of what it is given: a linalg op's
/// destination whose body does not read it is only written into.
bool reads(OpOperand &use) {
  auto linalg = dyn_cast<linalg::LinalgOp>(use.getOwner());
  return !linalg || !linalg.isDpsInit(&use) || linalg.payloadUsesValueFromOperand(&use);
}

bool isStaticF32(Type type) {
  auto tensor = dyn_cast<RankedTensorType>(type);
  return tensor && tensor.hasStaticShape() && tensor.getElementType().isF32();
}

class HarnessBuilder {
public:
  HarnessBuilder(func::FuncOp main, func::FuncOp harness)
      : main(main), body(harness.addEntryBlock()), b(OpBuilder::atBlockEnd(body)) {}

  /// Copies `ops` (top-level ops of @main, in order) into the harness: what
  /// they read from outside them first, as copies, empty tensors or arguments.
  LogicalResult copy(llvm::ArrayRef<Operation *> ops) {
    llvm::SmallPtrSet<Operation *, 16> inside(ops.begin(), ops.end());
    // A value any use reads is an argument (or a copy) for all of them.
    struct Uses {
      bool read = false;
      Operation *user = nullptr; // the first, for errors
    };
    llvm::MapVector<Value, Uses> outside;
    for (Operation *op : ops)
      op->walk([&](Operation *nested) {
        for (OpOperand &use : nested->getOpOperands()) {
          Operation *scope = scopeOf(use.get());
          if (op->isAncestor(scope) || inside.contains(scope))
            continue;
          Uses &uses = outside[use.get()];
          uses.read |= reads(use);
          if (!uses.user)
            uses.user = nested;
        }
      });
    for (auto &[value, uses] : outside) {
      FailureOr<Value> copied = materialize(value, uses.read, uses.user);
      if (failed(copied))
        return failure();
      map.map(value, *copied);
    }
    for (Operation *op : ops)
      b.clone(*op, map);
    return success();
  }

  /// Returns the copies of `ops`' results that ops outside them read.
  LogicalResult finish(llvm::ArrayRef<Operation *> ops, func::FuncOp harness) {
    llvm::SmallPtrSet<Operation *, 16> inside(ops.begin(), ops.end());
    Block &entry = main.getBody().front();
    SmallVector<Value> results;
    for (Operation *op : ops)
      for (Value result : op->getResults())
        if (llvm::any_of(result.getUsers(), [&](Operation *user) {
              return !inside.contains(entry.findAncestorOpInBlock(*user));
            })) {
          if (!isStaticF32(result.getType()))
            return op->emitError() << "kernel harness: an output of type " << result.getType()
                                   << "; harnesses take static f32 tensors";
          results.push_back(map.lookup(result));
        }
    func::ReturnOp::create(b, harness.getLoc(), results);
    harness.setFunctionType(
        FunctionType::get(harness.getContext(), body->getArgumentTypes(), ValueRange(results)));
    for (unsigned i = 0; i < body->getNumArguments(); ++i)
      harness.setArgAttr(i, kNameAttr, b.getStringAttr("input" + std::to_string(i)));
    for (unsigned i = 0; i < results.size(); ++i)
      harness.setResultAttr(i, kNameAttr, b.getStringAttr("output" + std::to_string(i)));
    return success();
  }

private:
  /// `v`, which `user` reads if `read`, in the harness: a copy of what
  /// computes it if that is free (constants, empty tensors, views of them),
  /// a view of what its source becomes, an empty tensor if nothing reads it,
  /// else an argument.
  FailureOr<Value> materialize(Value v, bool read, Operation *user) {
    auto &cache = read ? readValues : writtenValues;
    if (Value known = cache.lookup(v))
      return known;
    Operation *def = v.getDefiningOp();
    Value result;
    if (def &&
        (isFree(def) ||
         (isCopyable(def) &&
          isa<tensor::ExtractSliceOp, tensor::ExpandShapeOp, tensor::CollapseShapeOp>(def)))) {
      IRMapping operands;
      for (Value operand : def->getOperands()) {
        // A view's source keeps whether it is read; what else it takes is.
        bool source = !isFree(def) && operand == def->getOperand(0);
        FailureOr<Value> copied = materialize(operand, source ? read : true, user);
        if (failed(copied))
          return failure();
        operands.map(operand, *copied);
      }
      result = b.clone(*def, operands)->getResult(cast<OpResult>(v).getResultNumber());
    } else if (auto tensor = dyn_cast<RankedTensorType>(v.getType());
               !read && tensor && tensor.hasStaticShape()) {
      result = tensor::EmptyOp::create(b, v.getLoc(), tensor.getShape(), tensor.getElementType());
    } else if (isStaticF32(v.getType())) {
      result = body->addArgument(v.getType(), v.getLoc());
    } else {
      return user->emitError() << "kernel harness: reads a value of type " << v.getType()
                               << " from outside the kernel; harnesses take static f32 tensors";
    }
    cache[v] = result;
    return result;
  }

  /// Whether `op` may be copied into the harness: a top-level op of @main
  /// that is no kernel's and holds none.
  bool isCopyable(Operation *op) {
    return !isTagged(op) && op->getNumRegions() == 0 && !isa<linalg::LinalgOp>(op) &&
           op->getBlock() == &main.getBody().front();
  }

  /// Whether `op` and what it reads, transitively, compute nothing a kernel did.
  bool isFree(Operation *op) {
    if (auto known = free.find(op); known != free.end())
      return known->second;
    bool result = isCopyable(op) && llvm::all_of(op->getOperands(), [&](Value v) {
                    return v.getDefiningOp() && isFree(v.getDefiningOp());
                  });
    free[op] = result;
    return result;
  }

  func::FuncOp main;
  Block *body;
  OpBuilder b;
  IRMapping map;
  llvm::DenseMap<Value, Value> readValues, writtenValues;
  llvm::DenseMap<Operation *, bool> free;
};

} // namespace

LogicalResult buildKernelHarness(ModuleOp model, llvm::ArrayRef<std::string> keys) {
  auto main = model.lookupSymbol<func::FuncOp>(kEntryName);
  if (!main || main.isExternal())
    return model.emitError("kernel harness: the model has no @") << kEntryName;
  Block &entry = main.getBody().front();
  // The first kernel of each key, by the order acnnc tune collects them in.
  llvm::StringMap<int64_t> tagOfKey;
  main.walk([&](linalg::LinalgOp op) {
    auto tag = op->getAttrOfType<IntegerAttr>(kKernelAttr);
    auto key = op->getAttrOfType<StringAttr>(kKernelKeyAttr);
    if (tag && key)
      tagOfKey.try_emplace(key.getValue(), tag.getInt());
  });
  llvm::SmallDenseSet<int64_t> wanted;
  for (const std::string &key : keys) {
    auto it = tagOfKey.find(key);
    if (it == tagOfKey.end())
      return model.emitError("kernel harness: no kernel has the key '") << key << "'";
    wanted.insert(it->second);
  }
  // Each wanted kernel's ops, as the top-level ops of @main holding them: a
  // group loop holds a kernel whole.
  llvm::SetVector<Operation *> ops;
  main.walk([&](Operation *op) {
    for (llvm::StringRef tag : {kKernelAttr, kGroupBodyAttr, kGroupStartAttr})
      if (auto number = op->getAttrOfType<IntegerAttr>(tag))
        if (wanted.contains(number.getInt()))
          ops.insert(entry.findAncestorOpInBlock(*op));
  });
  SmallVector<Operation *> ordered = ops.takeVector();
  llvm::sort(ordered, [](Operation *a, Operation *b) { return a->isBeforeInBlock(b); });

  OpBuilder b(main);
  auto harness = func::FuncOp::create(b, main.getLoc(), kEntryName,
                                      FunctionType::get(model.getContext(), {}, {}));
  for (NamedAttribute attr : main->getAttrs())
    if (!llvm::is_contained({main.getSymNameAttrName(), main.getFunctionTypeAttrName(),
                             main.getArgAttrsAttrName(), main.getResAttrsAttrName()},
                            attr.getName()))
      harness->setAttr(attr.getName(), attr.getValue());
  HarnessBuilder builder(main, harness);
  if (failed(builder.copy(ordered)) || failed(builder.finish(ordered, harness))) {
    harness.erase();
    return failure();
  }
  main.erase();
  eraseModelMeta(model);
  return emitModelMeta(model);
}

namespace {

struct KernelHarness : impl::KernelHarnessBase<KernelHarness> {
  using KernelHarnessBase::KernelHarnessBase;

  void runOnOperation() override {
    auto file = llvm::MemoryBuffer::getFile(keysFile);
    if (!file) {
      getOperation().emitError("kernel harness: cannot read '")
          << keysFile << "': " << file.getError().message();
      return signalPassFailure();
    }
    SmallVector<llvm::StringRef> lines;
    (*file)->getBuffer().split(lines, '\n', -1, false);
    std::vector<std::string> keys;
    for (llvm::StringRef line : lines)
      if (!line.trim().empty())
        keys.push_back(line.trim().str());
    if (failed(buildKernelHarness(getOperation(), keys)))
      signalPassFailure();
  }
};

} // namespace
} // namespace acnn
