#ifndef ACNN_COMPILER_LOWERING_ACNNTOLINALGPATTERNS_H
#define ACNN_COMPILER_LOWERING_ACNNTOLINALGPATTERNS_H

// The acnn → linalg conversion patterns, one op family per file.

#include "mlir/IR/PatternMatch.h"

namespace acnn {

void populateConvPoolToLinalgPatterns(mlir::RewritePatternSet &patterns);
void populateElementwiseToLinalgPatterns(mlir::RewritePatternSet &patterns);
void populateReduceNormToLinalgPatterns(mlir::RewritePatternSet &patterns);
void populateMatmulToLinalgPatterns(mlir::RewritePatternSet &patterns);
void populateDataMovementToLinalgPatterns(mlir::RewritePatternSet &patterns);
void populateSamplingToLinalgPatterns(mlir::RewritePatternSet &patterns);
void populateFusedToLinalgPatterns(mlir::RewritePatternSet &patterns);
/// `threads`: how many threads share attention's blocks of query rows.
void populateAttentionToLinalgPatterns(mlir::RewritePatternSet &patterns, int64_t threads);

} // namespace acnn

#endif
