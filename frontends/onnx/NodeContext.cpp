#include "frontends/onnx/NodeContext.h"
#include "dialects/acnn/ShapeUtils.h"

#include "mlir/IR/Diagnostics.h"

using namespace mlir;
using llvm::Expected;
using llvm::SmallVector;
using llvm::StringRef;
using AttrType = onnx::AttributeProto::AttributeType;

namespace acnn {

Value ImportState::materialize(StringRef name) {
  OnnxValue &v = values.find(name)->second;
  if (!v.value) {
    const KnownTensor &t = *v.known;
    v.value = t.isFloat ? graph.constant(t.shape, t.floats, graph.loc(name))
                        : graph.constant(t.shape, t.asFloats().floats, graph.loc(name));
  }
  return v.value;
}

char NodeError::ID;

void NodeError::log(llvm::raw_ostream &os) const {
  os << "node '" << node << "' (" << op << "): " << reason;
}

std::string NodeContext::name() const {
  return node.name().empty() ? "#" + std::to_string(index) : node.name();
}

Location NodeContext::loc() { return graph().loc(name()); }

llvm::Error NodeContext::fail(const llvm::Twine &why) const {
  return llvm::make_error<NodeError>(name(), node.op_type(), why.str());
}

llvm::Error NodeContext::fail(llvm::Error cause) const {
  return fail(llvm::toString(std::move(cause)));
}

OnnxValue &NodeContext::entry(unsigned i) const { return state.values.find(node.input(i))->second; }

const KnownTensor *NodeContext::known(unsigned i) const {
  if (!hasInput(i))
    return nullptr;
  const OnnxValue &v = entry(i);
  return v.known ? &*v.known : nullptr;
}

bool NodeContext::allKnown() const {
  for (unsigned i = 0; i < numInputs(); ++i)
    if (hasInput(i) && !known(i))
      return false;
  return true;
}

Value NodeContext::value(unsigned i) { return state.materialize(node.input(i)); }

llvm::ArrayRef<int64_t> NodeContext::shape(unsigned i) const {
  const OnnxValue &v = entry(i);
  if (v.known)
    return v.known->shape;
  return cast<RankedTensorType>(v.value.getType()).getShape();
}

Expected<SmallVector<int64_t>> NodeContext::knownInts(unsigned i, StringRef what) const {
  // Optional in an op's spec may still be required at the model's opset (Pad's pads from 11).
  if (!hasInput(i))
    return fail(what + " (input " + llvm::Twine(i) + ") is missing");
  const KnownTensor *t = known(i);
  if (!t)
    return fail(what + " ('" + node.input(i) +
                "') must be a constant; acnn needs it at compile time");
  if (t->isFloat)
    return fail(what + " must be an integer tensor");
  return SmallVector<int64_t>(t->ints.begin(), t->ints.end());
}

const onnx::AttributeProto *NodeContext::attr(StringRef name) const {
  for (const onnx::AttributeProto &a : node.attribute())
    if (a.name() == name)
      return &a;
  return nullptr;
}

Expected<const onnx::AttributeProto *> NodeContext::typedAttr(StringRef name, AttrType type) const {
  const onnx::AttributeProto *a = attr(name);
  // UNDEFINED: writers before ONNX 1.1 left the type out.
  if (a && a->type() != type && a->type() != onnx::AttributeProto::UNDEFINED)
    return fail("attribute '" + name + "' must be " +
                onnx::AttributeProto::AttributeType_Name(type) + ", not " +
                onnx::AttributeProto::AttributeType_Name(a->type()));
  return a;
}

Expected<int64_t> NodeContext::attrInt(StringRef name, int64_t dflt) const {
  Expected<const onnx::AttributeProto *> a = typedAttr(name, onnx::AttributeProto::INT);
  if (!a)
    return a.takeError();
  return *a ? (*a)->i() : dflt;
}

Expected<float> NodeContext::attrFloat(StringRef name, float dflt) const {
  Expected<const onnx::AttributeProto *> a = typedAttr(name, onnx::AttributeProto::FLOAT);
  if (!a)
    return a.takeError();
  return *a ? (*a)->f() : dflt;
}

Expected<std::string> NodeContext::attrString(StringRef name, StringRef dflt) const {
  Expected<const onnx::AttributeProto *> a = typedAttr(name, onnx::AttributeProto::STRING);
  if (!a)
    return a.takeError();
  return *a ? (*a)->s() : dflt.str();
}

Expected<int64_t> NodeContext::attrPositiveInt(StringRef name) const {
  if (!hasAttr(name))
    return fail(name + " is required");
  Expected<int64_t> v = attrInt(name, 0);
  if (v && *v <= 0)
    return fail(name + " must be positive, got " + llvm::Twine(*v));
  return v;
}

Expected<SmallVector<int64_t>> NodeContext::attrInts(StringRef name,
                                                     llvm::ArrayRef<int64_t> dflt) const {
  Expected<const onnx::AttributeProto *> a = typedAttr(name, onnx::AttributeProto::INTS);
  if (!a)
    return a.takeError();
  if (!*a)
    return SmallVector<int64_t>(dflt);
  return SmallVector<int64_t>((*a)->ints().begin(), (*a)->ints().end());
}

Expected<std::vector<float>> NodeContext::attrFloats(StringRef name) const {
  Expected<const onnx::AttributeProto *> a = typedAttr(name, onnx::AttributeProto::FLOATS);
  if (!a)
    return a.takeError();
  if (!*a)
    return std::vector<float>();
  return std::vector<float>((*a)->floats().begin(), (*a)->floats().end());
}

Expected<const onnx::TensorProto *> NodeContext::attrTensor(StringRef name) const {
  Expected<const onnx::AttributeProto *> a = typedAttr(name, onnx::AttributeProto::TENSOR);
  if (!a)
    return a.takeError();
  return *a ? &(*a)->t() : nullptr;
}

Expected<SmallVector<int64_t>> NodeContext::intsFromAttrOrInput(StringRef name, unsigned input,
                                                                int64_t inputSince) const {
  if (opset() < inputSince)
    return attrInts(name);
  if (!hasInput(input))
    return SmallVector<int64_t>();
  return knownInts(input, name);
}

void NodeContext::setOutput(unsigned i, Value v) {
  if (i < numOutputs() && !node.output(i).empty())
    state.values[node.output(i)].value = v;
}

Value NodeContext::output(unsigned i) const {
  if (i >= numOutputs() || node.output(i).empty())
    return {};
  auto it = state.values.find(node.output(i));
  return it == state.values.end() ? Value() : it->second.value;
}

void NodeContext::setOutput(unsigned i, KnownTensor t) {
  if (i < numOutputs() && !node.output(i).empty())
    state.values[node.output(i)].known = std::move(t);
}

void NodeContext::forwardInput(unsigned i) {
  if (i < numOutputs() && !node.output(i).empty())
    state.values[node.output(i)] = entry(0);
}

llvm::Error NodeContext::emitKnown(unsigned i, Expected<KnownTensor> t) {
  if (!t)
    return fail(t.takeError());
  setOutput(i, std::move(*t));
  return llvm::Error::success();
}

Expected<Value> NodeContext::reshape(Value v, llvm::ArrayRef<int64_t> shape) {
  auto type = cast<RankedTensorType>(v.getType());
  if (checkedProduct(shape) != product(type.getShape()))
    return fail("cannot reshape " + formatShape(type.getShape()) + " to " + formatShape(shape));
  Expected<ReshapeOp> op = create<ReshapeOp>(type.clone(shape), v);
  if (!op)
    return op.takeError();
  return op->getResult();
}

Value OpChain::reshape(Value v, llvm::ArrayRef<int64_t> shape) {
  if (failure)
    return {};
  Expected<Value> reshaped = ctx.reshape(v, shape);
  if (!reshaped) {
    failure = reshaped.takeError();
    return {};
  }
  return *reshaped;
}

ChainValue OpChain::input(unsigned i) {
  if (const KnownTensor *t = ctx.known(i))
    return *t;
  return ctx.value(i);
}

Value OpChain::value(const ChainValue &v) {
  if (!v.known || failure)
    return v.value;
  return ctx.graph().constant(v.known->shape, v.known->asFloats().floats, ctx.loc());
}

ChainValue OpChain::keep(Expected<KnownTensor> t) {
  if (t)
    return std::move(*t);
  if (!failure)
    failure = ctx.fail(t.takeError());
  else
    llvm::consumeError(t.takeError());
  return Value();
}

ChainValue OpChain::reshape(const ChainValue &v, llvm::ArrayRef<int64_t> shape) {
  if (v.known && !failure)
    return keep(v.known->reshaped(shape));
  return reshape(v.value, shape);
}

ChainValue OpChain::transpose(const ChainValue &v, llvm::ArrayRef<int64_t> perm) {
  if (v.known && !failure)
    return keep(transposeKnown(*v.known, perm));
  return op<TransposeOp>(v.value, perm);
}

ChainValue OpChain::slice(const ChainValue &v, llvm::ArrayRef<int64_t> starts,
                          llvm::ArrayRef<int64_t> ends, llvm::ArrayRef<int64_t> steps) {
  if (v.known && !failure)
    return keep(sliceKnown(*v.known, starts, ends, steps));
  return op<SliceOp>(v.value, starts, ends, steps);
}

ChainValue OpChain::expand(const ChainValue &v, llvm::ArrayRef<int64_t> shape) {
  if (v.known && !failure)
    return keep(expandKnown(*v.known, shape));
  return op<ExpandOp>(v.value, shape);
}

llvm::Error OpChain::done() {
  if (!failure)
    return llvm::Error::success();
  llvm::Error first = std::move(*failure);
  failure.reset();
  return first;
}

llvm::Error OpChain::emit(Value v) {
  if (llvm::Error e = done())
    return e;
  ctx.setOutput(0, v);
  return llvm::Error::success();
}

} // namespace acnn
