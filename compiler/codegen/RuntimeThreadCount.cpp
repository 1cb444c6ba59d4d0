// acnn-runtime-thread-count: every OpenMP parallel region of @main forks the
// thread count the runtime holds for the model (acnn_model_set_num_threads),
// read once a run from the context, instead of OpenMP's own default.
#include "compiler/codegen/Passes.h"
#include "compiler/codegen/RuntimeArguments.h"

#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/OpenMP/OpenMPDialect.h"
#include "mlir/IR/Builders.h"

namespace acnn {

#define GEN_PASS_DEF_RUNTIMETHREADCOUNT
#include "compiler/codegen/Passes.h.inc"

using namespace mlir;

namespace {

struct RuntimeThreadCount : impl::RuntimeThreadCountBase<RuntimeThreadCount> {
  void runOnOperation() override {
    ModuleOp model = getOperation();
    func::FuncOp main = lookupStraightLineMain(model);
    if (!main)
      return signalPassFailure();
    SmallVector<omp::ParallelOp> regions;
    main.walk([&](omp::ParallelOp region) { regions.push_back(region); });
    if (regions.empty())
      return;
    for (omp::ParallelOp region : regions)
      if (region.getNumThreads()) {
        region.emitError("parallel region already has a thread count");
        return signalPassFailure();
      }
    MLIRContext *ctx = model.getContext();
    auto b = OpBuilder::atBlockEnd(model.getBody());
    auto query = model.lookupSymbol<func::FuncOp>(kThreadCountQuery);
    if (!query) {
      query = func::FuncOp::create(
          b, model.getLoc(), kThreadCountQuery,
          b.getFunctionType({LLVM::LLVMPointerType::get(ctx)}, {b.getI32Type()}));
      query.setPrivate();
    }
    b.setInsertionPointToStart(&main.getBody().front());
    Value context = getOrAddRuntimeArguments(main).context;
    Value threads = func::CallOp::create(b, main.getLoc(), query, ValueRange{context}).getResult(0);
    for (omp::ParallelOp region : regions)
      region.getNumThreadsMutable().assign(threads);
  }
};

} // namespace
} // namespace acnn
