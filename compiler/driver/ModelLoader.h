#ifndef ACNN_COMPILER_DRIVER_MODELLOADER_H
#define ACNN_COMPILER_DRIVER_MODELLOADER_H

// Picks the frontend for a model file by its extension.

#include "frontends/onnx/OnnxImporter.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Support/Error.h"

namespace acnn {

struct LoadOptions {
  /// ONNX: pinned input shapes by input name (symbolic dims otherwise become 1).
  llvm::StringMap<llvm::SmallVector<int64_t>> inputShapes;
  /// .acnn: weights from this .safetensors file instead of the model's own source.
  std::string weightsPath;
};

/// Loads `.onnx`, `.acnn` or `.mlir` (acnn dialect) into a verified module.
llvm::Expected<mlir::OwningOpRef<mlir::ModuleOp>>
loadModel(mlir::MLIRContext &ctx, llvm::StringRef path, const LoadOptions &options);

/// Every node of an ONNX model the importer refuses (see checkOnnxCoverage);
/// other formats are an error.
llvm::Expected<CoverageReport> checkCoverage(mlir::MLIRContext &ctx, llvm::StringRef path,
                                             const LoadOptions &options);

/// Parses "1x3x224x224" into dims; errors name the text.
llvm::Expected<llvm::SmallVector<int64_t>> parseShape(llvm::StringRef text);

} // namespace acnn

#endif
