// How the pipeline reports a pass that fails or crashes: the error names the
// pass and the op, and the reproducer it leaves replays the failure.
#include "compiler/driver/Pipeline.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/Pass.h"
#include "mlir/Pass/PassManager.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"

#include <csignal>
#include <gtest/gtest.h>

using namespace mlir;

namespace {

constexpr const char *kModule = R"mlir(
module @m {
  func.func @main(%x: tensor<4xf32>) -> tensor<4xf32> {
    return %x : tensor<4xf32>
  }
}
)mlir";

/// Stands in for a pass with a bug: it dies of a signal, as a null
/// dereference in a pattern would.
struct CrashingPass : PassWrapper<CrashingPass, OperationPass<func::FuncOp>> {
  MLIR_DEFINE_EXPLICIT_INTERNAL_INLINE_TYPE_ID(CrashingPass)
  StringRef getArgument() const override { return "test-crash"; }
  void runOnOperation() override { std::raise(SIGSEGV); }
};

/// Stands in for a pass that rejects its input with a diagnostic.
struct FailingPass : PassWrapper<FailingPass, OperationPass<func::FuncOp>> {
  MLIR_DEFINE_EXPLICIT_INTERNAL_INLINE_TYPE_ID(FailingPass)
  StringRef getArgument() const override { return "test-fail"; }
  void runOnOperation() override {
    getOperation().emitError("kernel 'main' has no schedule");
    signalPassFailure();
  }
};

struct PipelineTest : ::testing::Test {
  void SetUp() override {
    ctx.loadDialect<func::FuncDialect>();
    module = parseSourceString<ModuleOp>(kModule, &ctx);
    ASSERT_TRUE(module);
    llvm::SmallString<128> path;
    ASSERT_FALSE(llvm::sys::fs::createTemporaryFile("acnn-pipeline-test", "mlir", path));
    reproducer = path.str().str();
  }
  void TearDown() override { llvm::sys::fs::remove(reproducer); }

  MLIRContext ctx;
  OwningOpRef<ModuleOp> module;
  std::string reproducer;
};

TEST_F(PipelineTest, ACrashingPassIsAnErrorWithAReproducer) {
  PassManager pm(&ctx);
  pm.addNestedPass<func::FuncOp>(std::make_unique<CrashingPass>());
  llvm::Error err = acnn::runPasses(pm, *module, reproducer);
  ASSERT_TRUE(bool(err));
  std::string message = llvm::toString(std::move(err));
  EXPECT_NE(message.find("A signal was caught"), std::string::npos) << message;
  EXPECT_NE(message.find("CrashingPass` on 'func.func' operation: @main"), std::string::npos)
      << message;
  EXPECT_NE(message.find(reproducer), std::string::npos) << message;
  // The reproducer holds the module as it was before the pipeline and the
  // pipeline that crashed on it.
  auto text = llvm::MemoryBuffer::getFile(reproducer);
  ASSERT_TRUE(bool(text)) << reproducer;
  llvm::StringRef contents = (*text)->getBuffer();
  EXPECT_NE(contents.find("func.func @main"), llvm::StringRef::npos) << contents.str();
  EXPECT_NE(contents.find("test-crash"), llvm::StringRef::npos) << contents.str();
}

TEST_F(PipelineTest, AFailingPassIsAnErrorNamingTheOpAndReason) {
  PassManager pm(&ctx);
  pm.addNestedPass<func::FuncOp>(std::make_unique<FailingPass>());
  llvm::Error err = acnn::runPasses(pm, *module, reproducer);
  ASSERT_TRUE(bool(err));
  std::string message = llvm::toString(std::move(err));
  EXPECT_NE(message.find("pipeline failed"), std::string::npos) << message;
  EXPECT_NE(message.find("kernel 'main' has no schedule"), std::string::npos) << message;
  EXPECT_NE(message.find("loc("), std::string::npos) << message;
}

TEST_F(PipelineTest, PassingPassesLeaveNoError) {
  PassManager pm(&ctx);
  EXPECT_FALSE(bool(acnn::runPasses(pm, *module, reproducer)));
}

} // namespace
