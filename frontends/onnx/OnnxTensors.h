#ifndef ACNN_FRONTENDS_ONNX_ONNXTENSORS_H
#define ACNN_FRONTENDS_ONNX_ONNXTENSORS_H

// Decoding of ONNX TensorProto payloads into KnownTensor.

#include "frontends/onnx/ShapeFolding.h"

#include "onnx/onnx_pb.h"

#include <string>

namespace acnn {

/// The tensor's values, from raw_data or the typed field its data type uses.
/// Errors name the tensor.
llvm::Expected<KnownTensor> decodeTensor(const onnx::TensorProto &tensor);

/// Reads the payload of every tensor of `model` stored in an external file
/// (initializers and Constant values; ONNX's external data: a `location`
/// relative to the model's directory, an `offset` and a `length`) into its
/// raw_data. Errors name the tensor and the file.
llvm::Error loadExternalData(onnx::ModelProto &model, llvm::StringRef modelPath);

/// "FLOAT", "INT64", ... for an ONNX data type number.
std::string dataTypeName(int32_t dataType);

/// True for the ONNX types decodeTensor turns into floats.
bool isFloatDataType(int32_t dataType);

} // namespace acnn

#endif
