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

Location NodeContext::loc() {
  return graph().loc(node.name().empty() ? "#" + std::to_string(index) : node.name());
}

llvm::Error NodeContext::fail(const llvm::Twine &why) const {
  std::string name = node.name().empty() ? "#" + std::to_string(index) : node.name();
  return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                 "node '" + name + "' (" + node.op_type() + "): " + why);
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

Value NodeContext::value(unsigned i) { return state.materialize(node.input(i)); }

llvm::ArrayRef<int64_t> NodeContext::shape(unsigned i) const {
  const OnnxValue &v = entry(i);
  if (v.known)
    return v.known->shape;
  return cast<RankedTensorType>(v.value.getType()).getShape();
}

Expected<const KnownTensor *> NodeContext::requireKnown(unsigned i, StringRef what) const {
  if (const KnownTensor *t = known(i))
    return t;
  return fail(what + " ('" + node.input(i) +
              "') must be a constant; acnn needs it at compile time");
}

Expected<SmallVector<int64_t>> NodeContext::knownInts(unsigned i, StringRef what) const {
  Expected<const KnownTensor *> t = requireKnown(i, what);
  if (!t)
    return t.takeError();
  if ((*t)->isFloat)
    return fail(what + " must be an integer tensor");
  return SmallVector<int64_t>((*t)->ints.begin(), (*t)->ints.end());
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

Expected<SmallVector<int64_t>> NodeContext::attrInts(StringRef name,
                                                     llvm::ArrayRef<int64_t> dflt) const {
  Expected<const onnx::AttributeProto *> a = typedAttr(name, onnx::AttributeProto::INTS);
  if (!a)
    return a.takeError();
  if (!*a)
    return SmallVector<int64_t>(dflt);
  return SmallVector<int64_t>((*a)->ints().begin(), (*a)->ints().end());
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

void NodeContext::setOutput(unsigned i, KnownTensor t) {
  if (i < numOutputs() && !node.output(i).empty())
    state.values[node.output(i)].known = std::move(t);
}

void NodeContext::forwardInput(unsigned i) {
  if (i < numOutputs() && !node.output(i).empty())
    state.values[node.output(i)] = entry(0);
}

Expected<Value> NodeContext::reshape(Value v, llvm::ArrayRef<int64_t> shape) {
  auto type = cast<RankedTensorType>(v.getType());
  if (product(type.getShape()) != product(shape))
    return fail("cannot reshape " + formatShape(type.getShape()) + " to " + formatShape(shape));
  Expected<ReshapeOp> op = create<ReshapeOp>(type.clone(shape), v);
  if (!op)
    return op.takeError();
  return op->getResult();
}

} // namespace acnn
