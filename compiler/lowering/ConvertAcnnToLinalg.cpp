// acnn-convert-to-linalg: the acnn dialect is illegal afterwards, so any op
// without a pattern (or whose pattern fails) stops the pass with the dialect
// conversion's "failed to legalize operation 'acnn.<op>'" at the op.
#include "compiler/lowering/AcnnToLinalgPatterns.h"
#include "compiler/lowering/Passes.h"
#include "dialects/acnn/AcnnAttrs.h"
#include "dialects/acnn/AcnnDialect.h"

#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Transforms/DialectConversion.h"


namespace acnn {

#define GEN_PASS_DEF_CONVERTACNNTOLINALG
#include "compiler/lowering/Passes.h.inc"

namespace {

using namespace mlir;

struct ConvertAcnnToLinalg : impl::ConvertAcnnToLinalgBase<ConvertAcnnToLinalg> {
  using ConvertAcnnToLinalgBase::ConvertAcnnToLinalgBase;

  void runOnOperation() override {
    MLIRContext *ctx = &getContext();
    ConversionTarget target(*ctx);
    target.addIllegalDialect<AcnnDialect>();
    target.addLegalDialect<linalg::LinalgDialect, tensor::TensorDialect, arith::ArithDialect,
                           math::MathDialect, scf::SCFDialect>();

    RewritePatternSet patterns(ctx);
    populateConvPoolToLinalgPatterns(patterns);
    populateElementwiseToLinalgPatterns(patterns);
    populateReduceNormToLinalgPatterns(patterns);
    populateMatmulToLinalgPatterns(patterns);
    populateDataMovementToLinalgPatterns(patterns);
    populateSamplingToLinalgPatterns(patterns);
    populateFusedToLinalgPatterns(patterns);
    populateAttentionToLinalgPatterns(
        patterns, threads > 0 ? threads : targetOf(getOperation()).getThreads());
    if (failed(applyPartialConversion(getOperation(), target, std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace

} // namespace acnn
