#ifndef ACNN_COMPILER_CODEGEN_WHOLEVECTORREDUCTIONS_H
#define ACNN_COMPILER_CODEGEN_WHOLEVECTORREDUCTIONS_H

// A vector.multi_reduction that reduces a whole vector to one value (a row
// reduced along its contiguous axis: CBAM's mean and max over the channels
// of a pixel, a mean over an NCHW row, the last step of a softmax or layer
// norm) as one vector.reduction that may reassociate, which LLVM computes as
// a tree of vector ops and shuffles. The vector lowering otherwise adds the
// elements one after the other in order (innerparallel keeps vector adds for
// reductions across rows, where the vectors are rows), a chain of N scalar
// adds: 3 cycles an element.

#include "mlir/IR/PatternMatch.h"

namespace acnn {

void populateWholeVectorReductionPatterns(mlir::RewritePatternSet &patterns);

} // namespace acnn

#endif
