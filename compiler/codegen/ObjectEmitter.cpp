#include "compiler/codegen/ObjectEmitter.h"
#include "compiler/codegen/KernelLocation.h"

#include "mlir/Dialect/LLVMIR/LLVMDialect.h"

#include "mlir/ExecutionEngine/OptUtils.h"
#include "mlir/Target/LLVMIR/Export.h"
#include "llvm/IR/LegacyPassManager.h"
#include "llvm/MC/MCSubtargetInfo.h"
#include "llvm/MC/TargetRegistry.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/Support/SmallVectorMemoryBuffer.h"
#include "llvm/Support/raw_ostream.h"
#include "llvm/TargetParser/Host.h"

namespace acnn {

llvm::Expected<std::unique_ptr<llvm::TargetMachine>> createTargetMachine(const CpuTarget &target) {
  llvm::InitializeNativeTarget();
  llvm::InitializeNativeTargetAsmPrinter();
  llvm::Triple triple(llvm::sys::getDefaultTargetTriple());
  std::string error;
  const llvm::Target *t = llvm::TargetRegistry::lookupTarget(triple, error);
  if (!t)
    return llvm::createStringError("no LLVM target for %s: %s", triple.str().c_str(),
                                   error.c_str());
  std::string cpu = target.cpu, features;
  if (cpu == "native") {
    cpu = llvm::sys::getHostCPUName().str();
    for (const auto &f : llvm::sys::getHostCPUFeatures())
      features += (features.empty() ? "" : ",") + std::string(f.second ? "+" : "-") +
                  f.first().str();
  }
  llvm::TargetOptions options;
  // PIC so the same object goes into static and shared libraries.
  std::unique_ptr<llvm::TargetMachine> machine(t->createTargetMachine(
      triple, cpu, features, options, llvm::Reloc::PIC_, std::nullopt,
      llvm::CodeGenOptLevel::Aggressive));
  if (!machine)
    return llvm::createStringError("cannot create a target machine for cpu '%s'", cpu.c_str());
  // LLVM accepts unknown CPU names with a warning only; a typo must not fall
  // back to generic x86-64 code silently.
  if (!machine->getMCSubtargetInfo()->isCPUStringValid(cpu))
    return llvm::createStringError("unknown --cpu '%s'", cpu.c_str());
  return machine;
}

llvm::CodeModel::Model codeModelFor(const llvm::Module &module) {
  if (module.getTargetTriple().getArch() != llvm::Triple::x86_64)
    return llvm::CodeModel::Small;
  uint64_t bytes = 0;
  for (const llvm::GlobalVariable &global : module.globals())
    if (global.hasInitializer())
      bytes += module.getDataLayout().getTypeAllocSize(global.getValueType());
  return bytes > kSmallCodeModelDataBytes ? llvm::CodeModel::Medium : llvm::CodeModel::Small;
}

llvm::Expected<std::unique_ptr<llvm::Module>>
translateToLLVMIR(mlir::ModuleOp model, llvm::LLVMContext &context, llvm::TargetMachine &machine) {
  // Outlined kernels stay functions: inlined back, one large function would
  // again cost LLVM more than all of them.
  model.walk([](mlir::LLVM::LLVMFuncOp func) {
    if (func->hasAttr(kKernelFunctionAttr))
      func.setNoInline(true);
  });
  std::unique_ptr<llvm::Module> module = mlir::translateModuleToLLVMIR(model, context);
  if (!module)
    return llvm::createStringError("translation to LLVM IR failed");
  // Without the triple and CPU, memcpy/memset become byte loops and no
  // vector ISA is used.
  module->setTargetTriple(machine.getTargetTriple());
  module->setDataLayout(machine.createDataLayout());
  machine.setCodeModel(codeModelFor(*module));
  machine.setLargeDataThreshold(kLargeDataBytes);
  auto optimize = mlir::makeOptimizingTransformer(/*optLevel=*/3, /*sizeLevel=*/0, &machine);
  if (llvm::Error err = optimize(module.get()))
    return std::move(err);
  return module;
}

llvm::Expected<std::unique_ptr<llvm::MemoryBuffer>> emitObject(llvm::Module &module,
                                                                llvm::TargetMachine &machine) {
  llvm::SmallVector<char, 0> bytes;
  llvm::raw_svector_ostream os(bytes);
  llvm::legacy::PassManager pm;
  if (machine.addPassesToEmitFile(pm, os, nullptr, llvm::CodeGenFileType::ObjectFile))
    return llvm::createStringError("the target cannot emit object files");
  pm.run(module);
  // Moved, not copied: a model's weights make the object hundreds of MB.
  return std::make_unique<llvm::SmallVectorMemoryBuffer>(std::move(bytes),
                                                         /*RequiresNullTerminator=*/false);
}

} // namespace acnn
