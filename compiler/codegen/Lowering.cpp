#include "compiler/codegen/Lowering.h"
#include "compiler/codegen/Passes.h"
#include "compiler/lowering/Passes.h"

#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/InitAllPasses.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Target/LLVMIR/Dialect/All.h"
#include "llvm/Support/ErrorHandling.h"

using namespace mlir;

namespace acnn {

void registerCodegenDialects(DialectRegistry &registry) {
  registerAllDialects(registry);
  registerAllExtensions(registry);
  registerAllToLLVMIRTranslations(registry);
}

void registerCodegenPasses() {
  static bool once = [] {
    registerAllPasses();
    registerAcnnLoweringPasses();
    registerAcnnCodegenPasses();
    return true;
  }();
  (void)once;
}

// The stages are textual pipelines, as `acnn-opt` runs them in lit tests.
static void addPipeline(OpPassManager &pm, llvm::StringRef text) {
  registerCodegenPasses();
  if (failed(parsePassPipeline(text, pm)))
    llvm::report_fatal_error(llvm::Twine("invalid built-in pass pipeline: ") + text);
}

void addToLinalgPasses(OpPassManager &pm) {
  addPipeline(pm, "acnn-emit-model-meta,acnn-mark-kernels,acnn-convert-to-linalg,"
                  "acnn-count-kernel-flops,canonicalize,cse");
}

void addKernelPasses(OpPassManager &pm, bool fuse, llvm::StringRef schedulesFile,
                     llvm::StringRef tuningDatabase, llvm::StringRef harnessKeys,
                     bool profileEachKernel) {
  // Element-wise chains merge before the layouts propagate through them;
  // channel gates move into the filters of the convs reading them; once all
  // is NHWC, an inverted residual's widened map and pools join its depthwise
  // conv's loop, other pools their conv's, a grouped conv's start and
  // epilogue its loop over groups; concats and then padded inputs are written
  // in place by their producers.
  std::string layouts =
      fuse ? "acnn-kernel-layouts,acnn-fuse-elementwise,acnn-propagate-layouts,"
             "acnn-scale-into-filter,acnn-fuse-expand-into-depthwise,acnn-fuse-pool-into-conv,"
             "acnn-fuse-into-group-loops,"
             "acnn-concat-in-producers,acnn-pad-in-producer"
           : "acnn-kernel-layouts,acnn-propagate-layouts";
  // Groups are made after canonicalisation, which would fold the copies
  // some of them end in.
  std::string groups = fuse ? ",func.func(acnn-group-epilogues)" : "";
  addPipeline(pm, "func.func(" + layouts + "),canonicalize,cse" + groups);
  // Not in the text: paths need not be valid pass options.
  SelectSchedulesOptions select;
  select.schedules = schedulesFile.str();
  select.tuningDb = tuningDatabase.str();
  pm.addPass(createSelectSchedules(select));
  if (!harnessKeys.empty())
    pm.addPass(createKernelHarness(KernelHarnessOptions{harnessKeys.str()}));
  if (profileEachKernel)
    pm.addPass(createNameKernelsByEntry());
}

void addSchedulePasses(OpPassManager &pm) {
  addPipeline(pm, "acnn-apply-schedules,canonicalize,cse,func.func(acnn-block-constants)");
}

void addBufferizePasses(OpPassManager &pm) {
  // eliminate-empty-tensors: a loop's block written into the slice of the
  // loop's result it is inserted in (row-blocked layer norm), not into a
  // buffer of its own that is then copied.
  addPipeline(pm, "func.func(acnn-widen-partial-writes),eliminate-empty-tensors,"
                  "one-shot-bufferize{bufferize-function-boundaries "
                  "function-boundary-type-conversion=identity-layout-map},"
                  "buffer-results-to-out-params{hoist-static-allocs modify-public-functions},"
                  "func.func(buffer-deallocation-pipeline),canonicalize");
}

void addToLLVMPasses(OpPassManager &pm, bool sharedLibrary) {
  addPipeline(pm, "acnn-plan-memory,acnn-profile-kernels,"
                  // Schedules' scf.forall loops run on OpenMP threads; memrefs go
                  // to LLVM before scf to cf, else OpenMP's alloca scopes break.
                  "func.func(acnn-copies-to-linalg),scf-forall-to-parallel,"
                  "convert-vector-to-scf{full-unroll=true},convert-linalg-to-loops,"
                  "lower-affine,func.func(acnn-sink-to-stores),convert-scf-to-openmp,"
                  "acnn-runtime-thread-count,acnn-outline-kernels,acnn-team-per-run,"
                  "expand-strided-metadata,lower-affine,"
                  "convert-math-to-llvm,convert-math-to-libm,convert-vector-to-llvm,"
                  "finalize-memref-to-llvm,convert-scf-to-cf,convert-arith-to-llvm,"
                  "convert-ub-to-llvm,"
                  "convert-func-to-llvm{use-bare-ptr-memref-call-conv},convert-cf-to-llvm,"
                  "acnn-roll-main-loops,"
                  "convert-index-to-llvm,convert-openmp-to-llvm,reconcile-unrealized-casts,"
                  "acnn-constants-as-bytes");
  pm.addPass(createEmitModelEntry(EmitModelEntryOptions{sharedLibrary}));
}

} // namespace acnn
