#ifndef ACNN_FRONTENDS_ONNX_ONNXIMPORTER_H
#define ACNN_FRONTENDS_ONNX_ONNXIMPORTER_H

// Reads an .onnx model into the acnn dialect (a module with `func.func @main`,
// as GraphBuilder makes it). Shape arithmetic that only depends on static
// shapes and constants is evaluated during import, so it leaves no ops.

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/OwningOpRef.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Support/Error.h"

namespace acnn {

struct OnnxImportOptions {
  /// Full shapes for named graph inputs. Inputs not listed keep the model's
  /// dims, with every symbolic dim (dim_param or unset) taken as 1.
  llvm::StringMap<llvm::SmallVector<int64_t>> inputShapes;
};

/// Imports the model at `path`. Errors name the file, or the node (its name,
/// or "#index" when it has none), its op type and the reason.
llvm::Expected<mlir::OwningOpRef<mlir::ModuleOp>>
importOnnx(mlir::MLIRContext &ctx, llvm::StringRef path, const OnnxImportOptions &options = {});

} // namespace acnn

#endif
