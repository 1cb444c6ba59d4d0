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

/// Initialised data past which x86-64 code takes the medium code model: its
/// data past kLargeDataBytes (clang's threshold) goes to .lrodata/.ldata,
/// reached by 64-bit offsets and placed by the linker after all else, so a
/// model whose weights pass 2 GiB links (ViT-H/14's 2.5 GB overflowed the
/// 32-bit offsets of the C runtime's own start-up code). Below, the small
/// code model: with its weights in .lrodata, ViT-B/16 ran 8% slower by
/// medians (3 interleaved A/B runs on Zen 3), ResNet-50 3%.
inline constexpr uint64_t kSmallCodeModelDataBytes = uint64_t(1) << 30;
inline constexpr uint64_t kLargeDataBytes = 65535;

/// The code model `module` (its triple and data layout set) needs.
llvm::CodeModel::Model codeModelFor(const llvm::Module &module);

/// Translates the module, picks its code model (codeModelFor) and optimises
/// it at -O3 for `machine`.
llvm::Expected<std::unique_ptr<llvm::Module>>
translateToLLVMIR(mlir::ModuleOp model, llvm::LLVMContext &context, llvm::TargetMachine &machine);

/// The relocatable object (ELF on x86-64 Linux) for `module`.
llvm::Expected<std::unique_ptr<llvm::MemoryBuffer>> emitObject(llvm::Module &module,
                                                                llvm::TargetMachine &machine);

} // namespace acnn

#endif
