#ifndef ACNN_COMPILER_CODEGEN_OBJECTEMITTER_H
#define ACNN_COMPILER_CODEGEN_OBJECTEMITTER_H

// LLVM-dialect module -> optimised LLVM IR -> native object, in process.

#include "mlir/IR/BuiltinOps.h"
#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/Module.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Target/TargetMachine.h"

#include <memory>
#include <string>

namespace acnn {

struct CpuTarget {
  /// "native" (the host's CPU and features) or an LLVM CPU name such as
  /// "x86-64-v3", "x86-64-v4", "znver3", "sapphirerapids".
  std::string cpu = "native";
};

llvm::Expected<std::unique_ptr<llvm::TargetMachine>> createTargetMachine(const CpuTarget &target);

/// Translates the module and optimises it at -O3 for `machine`.
llvm::Expected<std::unique_ptr<llvm::Module>>
translateToLLVMIR(mlir::ModuleOp model, llvm::LLVMContext &context, llvm::TargetMachine &machine);

/// The relocatable object (ELF on x86-64 Linux) for `module`.
llvm::Expected<std::unique_ptr<llvm::MemoryBuffer>> emitObject(llvm::Module &module,
                                                                llvm::TargetMachine &machine);

} // namespace acnn

#endif
