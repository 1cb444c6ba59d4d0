#ifndef ACNN_COMPILER_CODEGEN_ARTIFACT_H
#define ACNN_COMPILER_CODEGEN_ARTIFACT_H

// Writing what `acnnc compile` produces: objects, archives, shared libraries
// and the C header that declares a model's symbols.

#include "mlir/IR/BuiltinOps.h"
#include "llvm/Support/Error.h"

namespace acnn {

llvm::Error writeFile(llvm::StringRef path, llvm::StringRef bytes);

/// A static library holding one object, named `memberName` inside.
llvm::Error writeStaticLibrary(llvm::StringRef path, llvm::StringRef object,
                               llvm::StringRef memberName);

/// Links the object into a shared library with the system C compiler driver.
llvm::Error writeSharedLibrary(llvm::StringRef path, llvm::StringRef object);

/// The header for a model after acnn-emit-model-meta (`model` still has
/// tensor types): declarations of its symbols and a `acnn_<name>_load`.
std::string modelHeader(mlir::ModuleOp model);

} // namespace acnn

#endif
