#ifndef ACNN_FRONTENDS_ONNX_LOCALFUNCTIONS_H
#define ACNN_FRONTENDS_ONNX_LOCALFUNCTIONS_H

// ONNX model-local functions (FunctionProto): torch.onnx's dynamo exporter
// and onnxscript write a model's modules as functions its graph calls. The
// importer sees the calls expanded into the functions' nodes, so fusion sees
// an SE block's ops wherever the module boundaries fall.

#include "onnx/onnx_pb.h"

#include "llvm/Support/Error.h"

namespace acnn {

/// The nodes of `model`'s graph with each call of one of its local functions
/// replaced by the function's nodes, recursively. A call's values are renamed
/// under the call's name ("layer1/se/Conv_0"), the function's attribute
/// references take the call's attributes, else the function's defaults
/// (attribute_proto), else are left out, and the function's nodes keep their
/// order. Errors name the call and the function: a function that calls
/// itself, one that imports another opset of the default domain than the
/// model, a call with more inputs or outputs than the function declares, an
/// attribute default that does not parse, calls nested deeper than
/// kMaxCallDepth, an expansion of more nodes than kMaxInlinedNodes.
llvm::Expected<google::protobuf::RepeatedPtrField<onnx::NodeProto>>
inlineLocalFunctions(const onnx::ModelProto &model, int64_t opset);

/// Nodes an expansion may reach: calls nested k deep, each calling the next
/// twice, expand to 2^k copies, a few bytes of protobuf each.
constexpr int64_t kMaxInlinedNodes = 4'000'000;

/// Calls nested in calls: exporters nest a module's functions as deep as its
/// modules (a dozen); the expansion recurses once a level.
constexpr size_t kMaxCallDepth = 256;

} // namespace acnn

#endif
