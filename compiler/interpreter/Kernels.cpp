// `evaluate`: checks operands against the op, then dispatches on the op type
// to the kernels declared in OpKernels.h.
#include "compiler/interpreter/Kernels.h"
#include "compiler/interpreter/OpKernels.h"
#include "dialects/acnn/ShapeUtils.h"

#include "llvm/ADT/Sequence.h"
#include "llvm/ADT/TypeSwitch.h"
#include "llvm/Support/raw_ostream.h"

using namespace mlir;

namespace acnn {

namespace {

llvm::Error opError(Operation *op, const llvm::Twine &why) {
  std::string message;
  llvm::raw_string_ostream os(message);
  os << "'" << op->getName() << "' at " << op->getLoc() << ": " << why;
  return llvm::createStringError(message);
}

llvm::Error checkOperands(Operation *op, ArrayRef<const Tensor *> operands) {
  if (operands.size() != op->getNumOperands())
    return opError(op, "expects " + llvm::Twine(op->getNumOperands()) + " operands, got " +
                           llvm::Twine(operands.size()));
  for (auto [i, t] : llvm::enumerate(operands)) {
    auto type = llvm::cast<ShapedType>(op->getOperand(i).getType());
    if (t && ArrayRef<int64_t>(t->shape) == type.getShape() &&
        int64_t(t->data.size()) == type.getNumElements())
      continue;
    std::string got = t ? formatShape(t->shape) + " with " + std::to_string(t->data.size()) +
                              " values"
                        : "missing";
    return opError(op, "operand " + llvm::Twine(i) + " is " + got + ", expected " +
                           formatShape(type.getShape()));
  }
  return llvm::Error::success();
}

llvm::Error dispatch(Operation *op, ArrayRef<const Tensor *> operands,
                     SmallVectorImpl<Tensor> &results) {
  auto in = [&](unsigned i) -> const Tensor & { return *operands[i]; };
  // Optional operands (biases) come last, so a present one is operand `i`.
  auto optional = [&](Value v, unsigned i) { return v ? operands[i] : nullptr; };
  auto done = [&](Tensor t) {
    results.push_back(std::move(t));
    return llvm::Error::success();
  };

  if (UnaryFn f = unaryFunction(op))
    return done(mapUnary(in(0), f));
  if (BinaryFn f = binaryFunction(op))
    return done(mapBinary(in(0), in(1), resultShape(op), f));

  auto reduceOp = [&](ArrayRef<int64_t> axes, Reduction kind) {
    llvm::SmallVector<int64_t> normalized;
    for (int64_t a : axes)
      normalized.push_back(*normalizeAxis(a, in(0).shape.size()));
    return done(reduce(in(0), normalized, kind, resultShape(op)));
  };
  auto spatialAxes = [&] { return llvm::to_vector(llvm::seq<int64_t>(2, in(0).shape.size())); };

  return llvm::TypeSwitch<Operation *, llvm::Error>(op)
      .Case([&](ConstantOp c) -> llvm::Error {
        llvm::Expected<Tensor> t = tensorFromAttr(c.getValue());
        if (!t)
          return opError(op, llvm::toString(t.takeError()));
        return done(std::move(*t));
      })
      .Case([&](Conv2dOp c) {
        Tensor t = conv2d(c, in(0), in(1), optional(c.getBias(), 2));
        applyEpilogue(t, optional(c.getResidual(), c.getBias() ? 3 : 2), c.getActivation());
        return done(std::move(t));
      })
      .Case([&](BatchNormOp c) { return done(batchNorm(c, in(0), in(1), in(2), in(3), in(4))); })
      .Case([&](MaxPool2dOp c) { return done(maxPool2d(c, in(0))); })
      .Case([&](AvgPool2dOp c) { return done(avgPool2d(c, in(0))); })
      .Case([&](GlobalAvgPoolOp c) { return reduceOp(spatialAxes(), Reduction::Mean); })
      .Case([&](GlobalMaxPoolOp c) { return reduceOp(spatialAxes(), Reduction::Max); })
      .Case(
          [&](LayerNormOp c) { return done(layerNorm(c, in(0), in(1), optional(c.getBias(), 2))); })
      .Case(
          [&](GroupNormOp c) { return done(groupNorm(c, in(0), in(1), optional(c.getBias(), 2))); })
      .Case([&](ReduceMeanOp c) { return reduceOp(c.getAxes(), Reduction::Mean); })
      .Case([&](ReduceMaxOp c) { return reduceOp(c.getAxes(), Reduction::Max); })
      .Case([&](ReduceSumOp c) { return reduceOp(c.getAxes(), Reduction::Sum); })
      .Case([&](ArgMaxOp c) -> llvm::Error {
        // The interpreter's tensors hold indices as floats, exact up to 2^24.
        int64_t n = in(0).shape[*normalizeAxis(c.getAxis(), in(0).shape.size())];
        if (n > (int64_t(1) << 24))
          return opError(op, "argmax along an axis of " + std::to_string(n) +
                                 " elements: the interpreter's f32 indices would round");
        return done(argMax(c, in(0), resultShape(op)));
      })
      .Case([&](SoftmaxOp c) { return done(softmax(c, in(0))); })
      .Case([&](MatmulOp c) {
        Tensor t = matmul(c, in(0), in(1));
        applyEpilogue(t, optional(c.getResidual(), 2), c.getActivation());
        return done(std::move(t));
      })
      .Case([&](LinearOp c) {
        Tensor t = linear(c, in(0), in(1), optional(c.getBias(), 2));
        applyEpilogue(t, optional(c.getResidual(), c.getBias() ? 3 : 2), c.getActivation());
        return done(std::move(t));
      })
      .Case([&](SqueezeExciteOp c) {
        return done(squeezeExcite(c, in(0), in(1), in(2), in(3), in(4)));
      })
      .Case([&](ChannelAttentionOp c) {
        return done(channelAttention(c, in(0), in(1), in(2), in(3), in(4)));
      })
      .Case([&](SpatialAttentionOp c) { return done(spatialAttention(c, in(0), in(1), in(2))); })
      .Case([&](AttentionOp c) {
        return done(attention(c, in(0), in(1), in(2), optional(c.getBias(), 3)));
      })
      .Case([&](ConcatOp c) { return done(concat(c, operands)); })
      .Case([&](SplitOp c) {
        for (Tensor &t : split(c, in(0)))
          results.push_back(std::move(t));
        return llvm::Error::success();
      })
      .Case([&](SliceOp c) { return done(slice(c, in(0))); })
      .Case([&](GatherOp c) { return done(gather(c, in(0))); })
      .Case([&](TransposeOp c) { return done(transpose(c, in(0))); })
      .Case([&](ExpandOp c) { return done(expand(c, in(0))); })
      .Case([&](PadOp c) { return done(pad(c, in(0))); })
      .Case([&](GridSampleOp c) { return done(gridSample(c, in(0), in(1))); })
      .Case([&](WhereOp c) { return done(where(c, in(0), in(1), in(2))); })
      .Case<ReshapeOp, FlattenOp>([&](Operation *c) { return done(reinterpret(c, in(0))); })
      .Default(
          [&](Operation *) { return opError(op, "the interpreter has no kernel for this op"); });
}

} // namespace

llvm::Error evaluate(Operation *op, ArrayRef<const Tensor *> operands,
                     SmallVectorImpl<Tensor> &results) {
  if (!llvm::isa_and_present<AcnnDialect>(op->getDialect()))
    return opError(op, "is not an acnn op; the interpreter evaluates acnn ops only");
  if (llvm::Error e = checkOperands(op, operands))
    return e;
  size_t first = results.size();
  if (llvm::Error e = dispatch(op, operands, results))
    return e;
  // Cheap insurance that a kernel honours the op's result types, which
  // callers (the interpreter, constant folding) rely on.
  bool ok = results.size() - first == op->getNumResults();
  for (unsigned i = 0; ok && i < op->getNumResults(); ++i)
    ok = ArrayRef<int64_t>(results[first + i].shape) == resultShape(op, i) &&
         int64_t(results[first + i].data.size()) == results[first + i].numel();
  if (!ok) {
    results.truncate(first);
    return opError(op, "internal error: the kernel's results do not match the op's types");
  }
  return llvm::Error::success();
}

} // namespace acnn
