#ifndef ACNN_COMPILER_CODEGEN_MODELMETA_H
#define ACNN_COMPILER_CODEGEN_MODELMETA_H

// The metadata global the runtime parses (acnnrt.h documents its records).
// acnn-emit-model-meta creates it with the signature; passes that learn more
// later (the arena's size, the kernels) append their records to it.

#include "mlir/IR/BuiltinOps.h"
#include "llvm/Support/raw_ostream.h"

namespace acnn {

/// Writes `name` as one metadata field: percent-encoded, so it has no spaces.
void writeMetaName(llvm::raw_ostream &os, llvm::StringRef name);

/// The metadata's name of a tensor type's elements ("f32", "i64"), empty for
/// a kind the runtime does not take.
llvm::StringRef metaDtype(mlir::Type tensorType);

/// Adds the metadata global with @main's signature (acnn-emit-model-meta).
mlir::LogicalResult emitModelMeta(mlir::ModuleOp model);

/// Drops the metadata global, so that emitModelMeta can write it again for a
/// new signature.
void eraseModelMeta(mlir::ModuleOp model);

/// The model's metadata records (empty before acnn-emit-model-meta).
llvm::StringRef modelMeta(mlir::ModuleOp model);

/// Appends `records` (whole lines) to the model's metadata; fails with a
/// diagnostic if acnn-emit-model-meta has not run.
mlir::LogicalResult appendModelMeta(mlir::ModuleOp model, llvm::StringRef records);

} // namespace acnn

#endif
