#include "frontends/text/OpTable.h"
#include "dialects/acnn/AcnnOps.h"
#include "dialects/acnn/ShapeUtils.h"

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/Verifier.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringMap.h"

#include <climits>

using namespace mlir;

namespace acnn::text {

namespace {

/// Holds the first error MLIR reports while alive, so that it can be
/// re-reported at the position of the call that caused it.
class FirstError {
public:
  explicit FirstError(MLIRContext *ctx)
      : handler(ctx, [this](Diagnostic &d) {
          if (d.getSeverity() == DiagnosticSeverity::Error && message.empty())
            message = d.str();
          return success();
        }) {}
  const std::string &str() const { return message; }

private:
  std::string message;
  ScopedDiagnosticHandler handler;
};

// The typed ODS builders abort the process when result-type inference fails,
// so ops are assembled from an OperationState whose attributes and inferred
// result types have been checked first.
template <typename OpTy> FailureOr<Operation *> buildInferred(OpCall &call, DictionaryAttr attrs) {
  MLIRContext *ctx = call.builder.getContext();
  OperationName name(OpTy::getOperationName(), ctx);
  typename OpTy::template InferredProperties<OpTy> props;
  FirstError diag(ctx);
  if constexpr (OpTy::hasProperties()) {
    if (failed(OpTy::setPropertiesFromAttr(props, attrs, [&] { return emitError(call.loc); })))
      return call.fail(call.pos, diag.str());
    OpTy::populateDefaultProperties(name, props); // the ODS defaults of omitted attributes
  }
  // Ops with several optional operands (a bias, then an epilogue's residual)
  // take them positionally: the first n operand groups are present.
  if constexpr (OpTy::template hasTrait<OpTrait::AttrSizedOperandSegments>())
    for (auto [i, size] : llvm::enumerate(props.operandSegmentSizes))
      size = i < call.operands.size() ? 1 : 0;
  SmallVector<Type> types;
  // The adaptor's verify checks required attributes, which inference reads unchecked.
  if (failed(typename OpTy::Adaptor(call.operands, attrs, props).verify(call.loc)) ||
      failed(OpTy::inferReturnTypes(ctx, call.loc, call.operands, attrs, &props, {}, types)))
    return call.fail(call.pos, diag.str());
  OperationState state(call.loc, name, call.operands, types);
  if constexpr (OpTy::hasProperties())
    state.useProperties(props);
  return call.builder.create(state);
}

// reshape's result type is not inferred: the call gives it as `shape`, with
// at most one -1 for the extent that keeps the element count.
ArrayRef<StringRef> reshapeAttributeNames() {
  static const StringRef names[] = {"shape"};
  return names;
}

FailureOr<Operation *> buildReshape(OpCall &call, DictionaryAttr attrs) {
  auto shapeAttr = attrs.getAs<DenseI64ArrayAttr>("shape");
  if (!shapeAttr)
    return call.fail(call.pos, "reshape needs attribute 'shape'");
  SmallVector<int64_t> shape(shapeAttr.asArrayRef());
  auto inputType = cast<RankedTensorType>(call.operands[0].getType());
  int64_t known = 1;
  int64_t *inferred = nullptr;
  for (int64_t &d : shape) {
    if (d == -1 && !inferred)
      inferred = &d;
    else if (d <= 0)
      return call.fail(call.pos, "reshape extents must be positive, with at most one -1");
    else
      known *= d;
  }
  if (inferred) {
    int64_t elements = product(inputType.getShape());
    if (elements % known != 0)
      return call.fail(call.pos, "reshape cannot infer the -1 extent: " + Twine(elements) +
                                     " elements are not a multiple of " + Twine(known));
    *inferred = elements / known;
  }
  auto type = RankedTensorType::get(shape, inputType.getElementType());
  return ReshapeOp::create(call.builder, call.loc, type, call.operands[0]).getOperation();
}

// argmax's result type is not inferred either (ONNX models cast its indices
// to f32 at times): the text language's are i64, a model output only.
FailureOr<Operation *> buildArgMax(OpCall &call, DictionaryAttr attrs) {
  auto axis = attrs.getAs<IntegerAttr>("axis");
  if (!axis)
    return call.fail(call.pos, "argmax needs attribute 'axis'");
  auto keepdims = attrs.getAs<BoolAttr>("keepdims");
  auto last = attrs.getAs<BoolAttr>("select_last_index");
  ArrayRef<int64_t> in = cast<RankedTensorType>(call.operands[0].getType()).getShape();
  const bool keep = !keepdims || keepdims.getValue();
  std::optional<SmallVector<int64_t>> shape = argMaxShape(in, axis.getInt(), keep);
  if (!shape)
    return call.fail(call.pos, "argmax axis " + Twine(axis.getInt()) +
                                   " is out of range for rank " + Twine(in.size()));
  auto type = RankedTensorType::get(*shape, call.builder.getI64Type());
  return ArgMaxOp::create(call.builder, call.loc, type, call.operands[0], axis.getInt(), keep,
                          last && last.getValue())
      .getOperation();
}

constexpr unsigned kVariadic = UINT_MAX;

template <typename OpTy> OpSpec inferred(unsigned minOperands, unsigned maxOperands) {
  StringRef mnemonic =
      OpTy::getOperationName().drop_front(AcnnDialect::getDialectNamespace().size() + 1);
  return {mnemonic, minOperands, maxOperands, &OpTy::getAttributeNames, &buildInferred<OpTy>};
}

FailureOr<Attribute> convertAttr(OpCall &call, const AttrArg &arg, AttrKind kind) {
  OpBuilder &b = call.builder;
  const Literal &v = arg.value;
  const char *expected = "";
  switch (kind) {
  case AttrKind::Int:
    if (v.kind == Literal::Integer)
      return Attribute(b.getI64IntegerAttr(v.integer));
    expected = "an integer";
    break;
  case AttrKind::Float:
    if (v.kind == Literal::Integer || v.kind == Literal::Real)
      return Attribute(b.getF32FloatAttr(float(v.real)));
    expected = "a number";
    break;
  case AttrKind::Bool:
    if (v.kind == Literal::Bool)
      return Attribute(b.getBoolAttr(v.boolean));
    expected = "true or false";
    break;
  case AttrKind::Word:
    if (v.kind == Literal::Word)
      return Attribute(b.getStringAttr(v.word));
    expected = "a name";
    break;
  case AttrKind::IntList:
    if (v.kind == Literal::IntList)
      return Attribute(b.getDenseI64ArrayAttr(v.list));
    expected = "a list of integers";
    break;
  case AttrKind::Indices:
    // A scalar index drops the axis (as ONNX Gather with a 0-d index); a list keeps it.
    if (v.kind == Literal::Integer)
      return Attribute(DenseElementsAttr::get(RankedTensorType::get({}, b.getI64Type()),
                                              ArrayRef<int64_t>(v.integer)));
    if (v.kind == Literal::IntList)
      return Attribute(
          DenseElementsAttr::get(RankedTensorType::get({int64_t(v.list.size())}, b.getI64Type()),
                                 ArrayRef<int64_t>(v.list)));
    expected = "an integer or a list of integers";
    break;
  }
  return call.fail(arg.pos, "attribute '" + arg.name + "' of " + call.op + " must be " + expected);
}

std::string arityText(const OpSpec &spec) {
  if (spec.maxOperands == kVariadic)
    return "at least " + std::to_string(spec.minOperands) + " operand" +
           (spec.minOperands == 1 ? "" : "s");
  if (spec.minOperands == spec.maxOperands)
    return std::to_string(spec.minOperands) + " operand" + (spec.minOperands == 1 ? "" : "s");
  return std::to_string(spec.minOperands) +
         (spec.maxOperands == spec.minOperands + 1 ? " or " : " to ") +
         std::to_string(spec.maxOperands) + " operands";
}

} // namespace

std::optional<AttrKind> attrKind(StringRef name) {
  using K = AttrKind;
  static const llvm::StringMap<AttrKind> kinds = {
      {"strides", K::IntList},   {"pads", K::IntList},
      {"dilations", K::IntList}, {"kernel", K::IntList},
      {"axes", K::IntList},      {"perm", K::IntList},
      {"sizes", K::IntList},     {"starts", K::IntList},
      {"ends", K::IntList},      {"steps", K::IntList},
      {"shape", K::IntList},     {"groups", K::Int},
      {"axis", K::Int},          {"epsilon", K::Float},
      {"alpha", K::Float},       {"beta", K::Float},
      {"min", K::Float},         {"max", K::Float},
      {"ceil_mode", K::Bool},    {"count_include_pad", K::Bool},
      {"keepdims", K::Bool},     {"approximate_tanh", K::Bool},
      {"value", K::Float},       {"indices", K::Indices},
      {"activation", K::Word},   {"gate", K::Word},
      {"scale", K::Float},       {"select_last_index", K::Bool},
      {"mode", K::Word},         {"padding_mode", K::Word},
      {"align_corners", K::Bool}};
  auto it = kinds.find(name);
  if (it == kinds.end())
    return std::nullopt;
  return it->second;
}

ArrayRef<OpSpec> opTable() {
  static const OpSpec table[] = {
      inferred<Conv2dOp>(2, 4),        inferred<BatchNormOp>(5, 5),
      inferred<MaxPool2dOp>(1, 1),     inferred<AvgPool2dOp>(1, 1),
      inferred<GlobalAvgPoolOp>(1, 1), inferred<GlobalMaxPoolOp>(1, 1),
      inferred<LayerNormOp>(2, 3),     inferred<GroupNormOp>(2, 3),
      inferred<ReluOp>(1, 1),
      inferred<SigmoidOp>(1, 1),       inferred<TanhOp>(1, 1),
      inferred<SiluOp>(1, 1),          inferred<HardSwishOp>(1, 1),
      inferred<ErfOp>(1, 1),           inferred<SqrtOp>(1, 1),
      inferred<ExpOp>(1, 1),           inferred<NegOp>(1, 1),
      inferred<ReciprocalOp>(1, 1),    inferred<GeluOp>(1, 1),
      inferred<HardSigmoidOp>(1, 1),   inferred<ClipOp>(1, 1),
      inferred<AddOp>(2, 2),           inferred<SubOp>(2, 2),
      inferred<MulOp>(2, 2),           inferred<DivOp>(2, 2),
      inferred<PowOp>(2, 2),           inferred<MaxOp>(2, 2),
      inferred<MinOp>(2, 2),           inferred<WhereOp>(3, 3),
      inferred<AbsOp>(1, 1),           inferred<LogOp>(1, 1),
      inferred<SoftplusOp>(1, 1),      inferred<LeakyReluOp>(1, 1),
      inferred<EluOp>(1, 1),           inferred<PReluOp>(2, 2),
      inferred<ReduceMeanOp>(1, 1),
      inferred<ReduceMaxOp>(1, 1),     inferred<ReduceSumOp>(1, 1),
      {"argmax", 1, 1, &ArgMaxOp::getAttributeNames, &buildArgMax},
      inferred<SoftmaxOp>(1, 1),       inferred<MatmulOp>(2, 3),
      inferred<LinearOp>(2, 4),        inferred<ConcatOp>(1, kVariadic),
      inferred<SplitOp>(1, 1),         inferred<SliceOp>(1, 1),
      inferred<GatherOp>(1, 1),        {"reshape", 1, 1, &reshapeAttributeNames, &buildReshape},
      inferred<FlattenOp>(1, 1),       inferred<TransposeOp>(1, 1),
      inferred<ExpandOp>(1, 1),        inferred<PadOp>(1, 1),
      inferred<GridSampleOp>(2, 2),
      inferred<SqueezeExciteOp>(5, 5), inferred<ChannelAttentionOp>(5, 5),
      inferred<SpatialAttentionOp>(3, 3), inferred<AttentionOp>(3, 4),
  };
  return table;
}

FailureOr<Operation *> createOp(OpCall &call) {
  ArrayRef<OpSpec> table = opTable();
  const OpSpec *spec = llvm::find_if(table, [&](const OpSpec &s) { return s.mnemonic == call.op; });
  if (spec == table.end()) {
    const OpSpec *closest = llvm::min_element(table, [&](const OpSpec &a, const OpSpec &b) {
      return call.op.edit_distance(a.mnemonic) < call.op.edit_distance(b.mnemonic);
    });
    std::string hint;
    if (call.op.edit_distance(closest->mnemonic) <= 2)
      hint = " (did you mean '" + closest->mnemonic.str() + "'?)";
    return call.fail(call.pos, "unknown op '" + call.op + "'" + hint);
  }
  if (call.operands.size() < spec->minOperands || call.operands.size() > spec->maxOperands)
    return call.fail(call.pos, call.op + " takes " + arityText(*spec) + ", got " +
                                   Twine(call.operands.size()));

  // Operand segment sizes follow from the operand count (buildInferred).
  SmallVector<StringRef> allowed = llvm::to_vector(llvm::make_filter_range(
      spec->attributeNames(), [](StringRef name) { return name != "operandSegmentSizes"; }));
  NamedAttrList attrs;
  for (const AttrArg &arg : call.attrs) {
    if (!llvm::is_contained(allowed, arg.name))
      return call.fail(arg.pos, call.op + " has no attribute '" + arg.name + "'" +
                                    (allowed.empty() ? " (it takes none)"
                                                     : "; it takes " + llvm::join(allowed, ", ")));
    if (attrs.get(arg.name))
      return call.fail(arg.pos, "attribute '" + arg.name + "' is given twice");
    std::optional<AttrKind> kind = attrKind(arg.name);
    if (!kind)
      return call.fail(arg.pos, "attribute '" + arg.name + "' has no .acnn spelling yet");
    FailureOr<Attribute> value = convertAttr(call, arg, *kind);
    if (failed(value))
      return failure();
    attrs.set(arg.name, *value);
  }

  FailureOr<Operation *> op = spec->build(call, attrs.getDictionary(call.builder.getContext()));
  if (failed(op))
    return failure();
  FirstError diag(call.builder.getContext());
  if (failed(verify(*op)))
    return call.fail(call.pos, diag.str());
  for (Type type : (*op)->getResultTypes())
    if (auto tensor = dyn_cast<RankedTensorType>(type))
      if (std::optional<std::string> why = oversizeReason(tensor.getShape()))
        return call.fail(call.pos, call.op + ": result " + *why);
  return op;
}

} // namespace acnn::text
