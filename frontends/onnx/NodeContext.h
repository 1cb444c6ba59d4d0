#ifndef ACNN_FRONTENDS_ONNX_NODECONTEXT_H
#define ACNN_FRONTENDS_ONNX_NODECONTEXT_H

// What an op converter sees of the import: its node's inputs (graph values or
// known tensors), attributes and outputs, and a checked way to create ops.
// Every error it makes names the node and its op type.

#include "frontends/onnx/OnnxOpTable.h"
#include "frontends/onnx/ShapeFolding.h"
#include "frontends/text/GraphBuilder.h"

#include "onnx/onnx_pb.h"

#include "llvm/ADT/StringMap.h"

namespace acnn {

/// An ONNX value: computed by the graph, or known at import. A known float
/// tensor gets `value` (an acnn.constant) the first time an op needs it.
struct OnnxValue {
  mlir::Value value;
  std::optional<KnownTensor> known;
};

/// An error of one node: message() is "node 'NAME' (OP): reason", NAME being
/// "#index" for a node without a name. Coverage reports keep the parts.
class NodeError : public llvm::ErrorInfo<NodeError> {
public:
  static char ID;
  NodeError(std::string node, std::string op, std::string reason)
      : node(std::move(node)), op(std::move(op)), reason(std::move(reason)) {}
  void log(llvm::raw_ostream &os) const override;
  std::error_code convertToErrorCode() const override { return llvm::inconvertibleErrorCode(); }

  std::string node, op, reason;
};

/// What the graph walk keeps between nodes.
struct ImportState {
  GraphBuilder &graph;
  int64_t opset; // of the default ONNX domain
  llvm::StringMap<OnnxValue> values;

  /// The graph value of `name` (which must be defined), creating the
  /// acnn.constant of a known tensor on first use.
  mlir::Value materialize(llvm::StringRef name);
};

class NodeContext {
public:
  NodeContext(ImportState &state, const onnx::NodeProto &node, int index)
      : state(state), node(node), index(index) {}

  /// The node's name, or "#index" when it has none.
  std::string name() const;
  int64_t opset() const { return state.opset; }
  GraphBuilder &graph() { return state.graph; }
  mlir::OpBuilder &builder() { return state.graph.builder(); }
  mlir::Location loc();

  /// "node 'NAME' (OP): why".
  llvm::Error fail(const llvm::Twine &why) const;
  llvm::Error fail(llvm::Error cause) const;

  // Inputs. The graph walk has checked that every named input is defined and
  // that their count suits the op.
  unsigned numInputs() const { return node.input_size(); }
  bool hasInput(unsigned i) const { return i < numInputs() && !node.input(i).empty(); }
  /// The known tensor of input i, or null if it is absent or computed. An
  /// input the op table marks as known is, when present: the walk checks.
  const KnownTensor *known(unsigned i) const;
  /// True when every input present is known.
  bool allKnown() const;
  /// Input i as a graph value; known tensors become acnn.constant (as f32).
  mlir::Value value(unsigned i);
  /// Static shape of input i, computed or known.
  llvm::ArrayRef<int64_t> shape(unsigned i) const;
  /// Input i, which must be a known integer tensor, flattened; `what` names
  /// it in the error.
  llvm::Expected<llvm::SmallVector<int64_t>> knownInts(unsigned i, llvm::StringRef what) const;

  // Attributes, with the default used when absent; a present attribute of
  // another type is an error.
  bool hasAttr(llvm::StringRef name) const { return attr(name) != nullptr; }
  llvm::Expected<int64_t> attrInt(llvm::StringRef name, int64_t dflt) const;
  /// A required integer attribute that must be positive (a block or window size).
  llvm::Expected<int64_t> attrPositiveInt(llvm::StringRef name) const;
  llvm::Expected<float> attrFloat(llvm::StringRef name, float dflt) const;
  llvm::Expected<std::string> attrString(llvm::StringRef name, llvm::StringRef dflt) const;
  llvm::Expected<llvm::SmallVector<int64_t>> attrInts(llvm::StringRef name,
                                                      llvm::ArrayRef<int64_t> dflt = {}) const;
  llvm::Expected<std::vector<float>> attrFloats(llvm::StringRef name) const;
  llvm::Expected<const onnx::TensorProto *> attrTensor(llvm::StringRef name) const;
  /// Integers that opsets before `inputSince` give as attribute `name` and
  /// later ones as input `input`; empty when absent.
  llvm::Expected<llvm::SmallVector<int64_t>>
  intsFromAttrOrInput(llvm::StringRef name, unsigned input, int64_t inputSince) const;

  // Outputs.
  unsigned numOutputs() const { return node.output_size(); }
  /// Whether output i is there and named (optional outputs may be left empty).
  bool hasOutput(unsigned i) const { return i < numOutputs() && !node.output(i).empty(); }
  void setOutput(unsigned i, mlir::Value v);
  /// The graph value output i holds (a converter set it), or null.
  mlir::Value output(unsigned i) const;
  void setOutput(unsigned i, KnownTensor t);
  /// Output i takes whatever input 0 holds (Identity, Dropout, Cast to float).
  void forwardInput(unsigned i);

  /// Creates OpT with `args` as its ODS builder takes them (no result types).
  /// For ops that infer their result type, the inference runs first, so a
  /// shape mismatch becomes an error naming the node instead of an abort.
  template <typename OpT, typename... Args> llvm::Expected<OpT> create(Args &&...args) {
    llvm::Expected<OpT> op = graph().template tryCreate<OpT>(loc(), std::forward<Args>(args)...);
    if (!op)
      return fail(op.takeError());
    return op;
  }

  /// `v` as an acnn.reshape to `shape` (same element count, else an error).
  llvm::Expected<mlir::Value> reshape(mlir::Value v, llvm::ArrayRef<int64_t> shape);

  /// create<OpT>(args...) as output 0.
  template <typename OpT, typename... Args> llvm::Error emit(Args &&...args) {
    llvm::Expected<OpT> op = create<OpT>(std::forward<Args>(args)...);
    if (!op)
      return op.takeError();
    setOutput(0, (*op)->getResult(0));
    return llvm::Error::success();
  }

  /// `t` as output i, or its error as this node's.
  llvm::Error emitKnown(unsigned i, llvm::Expected<KnownTensor> t);

private:
  const onnx::AttributeProto *attr(llvm::StringRef name) const;
  llvm::Expected<const onnx::AttributeProto *>
  typedAttr(llvm::StringRef name, onnx::AttributeProto::AttributeType type) const;
  OnnxValue &entry(unsigned i) const;

  ImportState &state;
  const onnx::NodeProto &node;
  int index;
};

/// A value in an OpChain: computed by the graph, or known at import (a
/// weight), so that data movement on it is done at import, not left to the
/// graph.
struct ChainValue {
  ChainValue(mlir::Value value) : value(value) {}
  ChainValue(KnownTensor known) : known(std::move(known)) {}
  mlir::Value value;
  std::optional<KnownTensor> known;
};

/// Builds the several acnn ops one ONNX node becomes (Selu, InstanceNormalization,
/// DepthToSpace, ...). Each call creates its op, or, after the first failure,
/// nothing and returns a null value; done() gives that first failure.
class OpChain {
public:
  explicit OpChain(NodeContext &ctx) : ctx(ctx) {}

  /// Input i, known when it is.
  ChainValue input(unsigned i);
  /// `v` as a graph value: a known tensor becomes an acnn.constant.
  mlir::Value value(const ChainValue &v);
  // Data movement, evaluated at import on a known value.
  ChainValue reshape(const ChainValue &v, llvm::ArrayRef<int64_t> shape);
  ChainValue transpose(const ChainValue &v, llvm::ArrayRef<int64_t> perm);
  ChainValue slice(const ChainValue &v, llvm::ArrayRef<int64_t> starts,
                   llvm::ArrayRef<int64_t> ends, llvm::ArrayRef<int64_t> steps);
  ChainValue expand(const ChainValue &v, llvm::ArrayRef<int64_t> shape);

  template <typename OpT, typename... Args> mlir::Value op(Args &&...args) {
    if (failure)
      return {};
    llvm::Expected<OpT> created = ctx.create<OpT>(std::forward<Args>(args)...);
    if (!created) {
      failure = created.takeError();
      return {};
    }
    return (*created)->getResult(0);
  }
  mlir::Value reshape(mlir::Value v, llvm::ArrayRef<int64_t> shape);
  mlir::Value scalar(float value) { return ctx.graph().scalar(value, ctx.loc()); }

  /// Success, or the first failure.
  llvm::Error done();
  /// done(), then `v` as the node's output 0.
  llvm::Error emit(mlir::Value v);

private:
  /// The known result, or, on its error, a null value and the failure kept.
  ChainValue keep(llvm::Expected<KnownTensor> t);

  NodeContext &ctx;
  std::optional<llvm::Error> failure;
};

/// The converter of an op that maps input 0 to OpT with no attributes.
template <typename OpT> llvm::Error unaryOp(NodeContext &ctx) {
  return ctx.emit<OpT>(ctx.value(0));
}

} // namespace acnn

#endif
