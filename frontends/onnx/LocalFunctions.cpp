// Expands the calls of a model's local functions into their nodes.
#include "frontends/onnx/LocalFunctions.h"

#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/Twine.h"

#include <google/protobuf/unknown_field_set.h>

#include <algorithm>
#include <string>

using llvm::StringRef;

namespace acnn {

namespace {

using Nodes = google::protobuf::RepeatedPtrField<onnx::NodeProto>;

llvm::Error error(const llvm::Twine &why) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), why);
}

std::string key(StringRef domain, StringRef name) { return (domain + "::" + name).str(); }

/// FunctionProto.attribute_proto (ONNX 1.15, IR 9): the defaults of the
/// function's attributes, which onnxscript writes for torch_lib's functions.
/// onnx 1.12's classes keep the field as an unknown one.
constexpr int kAttributeDefaultsField = 11;

class Inliner {
public:
  Inliner(const onnx::ModelProto &model, int64_t opset) : opset(opset) {
    for (const onnx::FunctionProto &f : model.functions())
      functions.try_emplace(key(f.domain(), f.name()), &f);
  }

  llvm::Error run(const Nodes &graph) {
    // Counted before any copy: an expansion refused for its size costs nothing.
    int64_t total = 0;
    for (const onnx::NodeProto &node : graph)
      total = std::min(total + expandedSize(node), kMaxInlinedNodes + 1);
    if (total > kMaxInlinedNodes)
      return error("the local functions expand to more than " + llvm::Twine(kMaxInlinedNodes) +
                   " nodes");
    for (const onnx::NodeProto &node : graph)
      if (llvm::Error e = emit(node))
        return e;
    return llvm::Error::success();
  }

  Nodes out;

private:
  /// Appends `node`, or its expansion where it calls a local function.
  llvm::Error emit(const onnx::NodeProto &node) {
    auto found = functions.find(key(node.domain(), node.op_type()));
    if (found == functions.end()) {
      *out.Add() = node;
      return llvm::Error::success();
    }
    return expand(node, *found->second);
  }

  /// Appends the nodes of `f` for `call`. A node of a function is named
  /// with the path of calls it sits in, so its own calls are too.
  llvm::Error expand(const onnx::NodeProto &call, const onnx::FunctionProto &f) {
    std::string name = key(f.domain(), f.name());
    const std::string &at = call.name().empty() ? f.name() : call.name();
    auto fail = [&](const llvm::Twine &why) {
      return error("node '" + at + "' (a call of local function '" + name + "'): " + why);
    };
    if (llvm::is_contained(stack, &f))
      return fail("the function calls itself");
    if (stack.size() >= kMaxCallDepth)
      return fail("calls nest more than " + llvm::Twine(kMaxCallDepth) + " deep");
    for (const onnx::OperatorSetIdProto &id : f.opset_import())
      if ((id.domain().empty() || id.domain() == "ai.onnx") && id.version() != opset)
        return fail("the function imports opset " + llvm::Twine(id.version()) +
                    " of the default domain, the model opset " + llvm::Twine(opset));
    if (call.input_size() > f.input_size() || call.output_size() > f.output_size())
      return fail(llvm::Twine(call.input_size()) + " inputs and " +
                  llvm::Twine(call.output_size()) + " outputs for the function's " +
                  llvm::Twine(f.input_size()) + " and " + llvm::Twine(f.output_size()));
    // Each call's values get names of their own, unique even where exporters
    // repeat a call's name.
    std::string scope = at + "#" + std::to_string(++calls) + "/";
    llvm::StringMap<std::string> renamed;
    for (int i = 0; i < f.input_size(); ++i)
      renamed[f.input(i)] = i < call.input_size() ? call.input(i) : "";
    // An output the call leaves out is still a value the function's later
    // nodes may read.
    for (int i = 0; i < f.output_size(); ++i)
      if (i < call.output_size() && !call.output(i).empty())
        renamed.try_emplace(f.output(i), call.output(i));
    auto rename = [&](const std::string &v) -> std::string {
      if (v.empty())
        return v;
      auto it = renamed.find(v);
      return it != renamed.end() ? it->second : scope + v;
    };
    std::vector<onnx::AttributeProto> defaults;
    for (int i = 0; i < f.unknown_fields().field_count(); ++i) {
      const google::protobuf::UnknownField &field = f.unknown_fields().field(i);
      if (field.number() != kAttributeDefaultsField)
        continue;
      if (field.type() != google::protobuf::UnknownField::TYPE_LENGTH_DELIMITED ||
          !defaults.emplace_back().ParseFromString(field.length_delimited()))
        return fail("an attribute default of the function is not a valid AttributeProto");
    }
    stack.push_back(&f);
    for (const onnx::NodeProto &inner : f.node()) {
      onnx::NodeProto node = inner;
      node.set_name(at + "/" + (inner.name().empty() ? inner.op_type() : inner.name()));
      for (std::string &v : *node.mutable_input())
        v = rename(v);
      for (std::string &v : *node.mutable_output())
        v = rename(v);
      bindAttributes(node, call, defaults);
      if (llvm::Error e = emit(node))
        return e;
    }
    stack.pop_back();
    // An output that is one of the function's inputs passes it through.
    for (int i = 0; i < call.output_size(); ++i) {
      const std::string &formal = f.output(i);
      if (call.output(i).empty() || !llvm::is_contained(f.input(), formal))
        continue;
      onnx::NodeProto identity;
      identity.set_op_type("Identity");
      identity.set_name(at + "/" + formal);
      identity.add_input(renamed[formal]);
      identity.add_output(call.output(i));
      if (llvm::Error e = emit(identity))
        return e;
    }
    return llvm::Error::success();
  }

  /// Nodes `node` expands to, at most kMaxInlinedNodes + 1. A call of a
  /// function already being counted, or nested too deep, adds none: expand
  /// refuses it by name.
  int64_t expandedSize(const onnx::NodeProto &node, size_t depth = 0) {
    auto found = functions.find(key(node.domain(), node.op_type()));
    if (found == functions.end())
      return 1;
    if (depth >= kMaxCallDepth)
      return 0;
    const onnx::FunctionProto *f = found->second;
    auto [it, added] = sizes.try_emplace(f, 0);
    if (!added)
      return it->second;
    int64_t size = 0;
    for (const onnx::NodeProto &inner : f->node())
      size = std::min(size + expandedSize(inner, depth + 1), kMaxInlinedNodes + 1);
    // One Identity per output passed through.
    size += f->output_size();
    sizes[f] = size;
    return size;
  }

  /// Replaces each attribute of `node` that refers to one of the function's
  /// attributes by the call's value of it, else by the function's default,
  /// else drops it (the op's default then holds).
  static void bindAttributes(onnx::NodeProto &node, const onnx::NodeProto &call,
                             const std::vector<onnx::AttributeProto> &defaults) {
    auto *attrs = node.mutable_attribute();
    for (int i = attrs->size() - 1; i >= 0; --i) {
      onnx::AttributeProto &a = (*attrs)[i];
      if (a.ref_attr_name().empty())
        continue;
      const onnx::AttributeProto *given = nullptr;
      for (const onnx::AttributeProto &d : defaults)
        if (d.name() == a.ref_attr_name())
          given = &d;
      for (const onnx::AttributeProto &c : call.attribute())
        if (c.name() == a.ref_attr_name())
          given = &c;
      if (!given) {
        attrs->DeleteSubrange(i, 1);
        continue;
      }
      std::string name = a.name();
      a = *given;
      a.set_name(name);
    }
  }

  int64_t opset;
  llvm::StringMap<const onnx::FunctionProto *> functions;
  llvm::SmallVector<const onnx::FunctionProto *> stack;
  llvm::DenseMap<const onnx::FunctionProto *, int64_t> sizes;
  int64_t calls = 0;
};

} // namespace

llvm::Expected<Nodes> inlineLocalFunctions(const onnx::ModelProto &model, int64_t opset) {
  Inliner inliner(model, opset);
  if (llvm::Error e = inliner.run(model.graph().node()))
    return std::move(e);
  return std::move(inliner.out);
}

} // namespace acnn
