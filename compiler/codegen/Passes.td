#ifndef ACNN_CODEGEN_PASSES_TD
#define ACNN_CODEGEN_PASSES_TD

include "mlir/Pass/PassBase.td"

def EmitModelMeta : Pass<"acnn-emit-model-meta", "mlir::ModuleOp"> {
  let summary = "Describe the model's inputs and outputs for the runtime";
  let description = [{
    Adds the global `acnn_<model>_meta`: the text the runtime parses when it
    binds a compiled model (libacnnrt's acnnrt.h documents the format), with
    the names and shapes of `@main`'s arguments and results. Runs while the
    signature still has tensor types; `<model>` is the module's name.
  }];
  let dependentDialects = ["mlir::LLVM::LLVMDialect"];
}

def EmitModelEntry : Pass<"acnn-emit-model-entry", "mlir::ModuleOp"> {
  let summary = "Export the model behind the runtime's calling convention";
  let description = [{
    On the LLVM-dialect module: makes the lowered `@main` internal as
    `acnn_<model>_main` and adds `void acnn_<model>_entry(void **args)`, which
    passes args[0..n) (inputs, then outputs) to it as bare pointers. With
    `shared-library`, also exports both symbols as `acnn_model_meta` and
    `acnn_model_entry`, the names the runtime looks up in a shared library.
  }];
  let options = [
    Option<"sharedLibrary", "shared-library", "bool", /*default=*/"false",
           "Also export the generic symbol names a shared library needs">
  ];
  let dependentDialects = ["mlir::LLVM::LLVMDialect"];
}

def CopiesToLinalg : Pass<"acnn-copies-to-linalg", "mlir::func::FuncOp"> {
  let summary = "Turn strided memref.copy into linalg.copy";
  let description = [{
    Bufferisation copies into and out of subviews (concat, pad, slices). The
    LLVM lowering turns a copy between non-contiguous memrefs into a call to
    MLIR's `memrefCopy` runtime helper, which a self-contained model must not
    depend on; as linalg.copy it becomes plain loops. Contiguous copies stay
    memref.copy (a memcpy).
  }];
  let dependentDialects = ["mlir::linalg::LinalgDialect"];
}

#endif // ACNN_CODEGEN_PASSES_TD
