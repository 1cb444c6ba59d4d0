#ifndef ACNN_FRONTENDS_ONNX_ONNXIMPORTER_H
#define ACNN_FRONTENDS_ONNX_ONNXIMPORTER_H

// Reads an .onnx model into the acnn dialect (a module with `func.func @main`,
// as GraphBuilder makes it). Every symbolic dimension is pinned, so every
// shape is static, and whatever depends only on shapes and constants (shape
// arithmetic) is evaluated during import, so it leaves no ops.

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/OwningOpRef.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Support/Error.h"

#include <string>
#include <vector>

namespace onnx {
class ModelProto;
}

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

/// Imports a model already parsed; `name` stands for the file in errors.
llvm::Expected<mlir::OwningOpRef<mlir::ModuleOp>>
importOnnxModel(mlir::MLIRContext &ctx, const onnx::ModelProto &model, llvm::StringRef name,
                const OnnxImportOptions &options = {});

/// A node the importer refuses, and why.
struct UnsupportedNode {
  std::string node; // its name, or "#index"
  std::string op;
  std::string reason;
};

struct CoverageReport {
  int64_t numNodes = 0;
  std::vector<UnsupportedNode> unsupported;
};

/// Every node of the model at `path` that importOnnx would refuse, not only
/// the first. A node reading the output of a refused one is still checked for
/// what needs no shapes: its op, opset, attributes and input counts. Errors
/// are for the model as a whole (unreadable file, bad graph input).
llvm::Expected<CoverageReport> checkOnnxCoverage(mlir::MLIRContext &ctx, llvm::StringRef path,
                                                 const OnnxImportOptions &options = {});

} // namespace acnn

#endif
