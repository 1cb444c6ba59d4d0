#ifndef ACNN_COMPILER_CODEGEN_ERFAPPROXIMATION_H
#define ACNN_COMPILER_CODEGEN_ERFAPPROXIMATION_H

// math.erf on f32 (scalar or vector) as one rational function: an odd
// polynomial over an even one in x, x clamped to [-4, 4] (beyond, erf is +-1
// in f32). Maximum absolute error 3.5e-7 (MLIR's approximation: 2.5e-7), in
// 15 operations and one division; MLIR's picks one of three polynomial
// pairs with 23 selects and takes about 40. Exact GELU, in every ViT, Swin
// and ConvNeXt MLP, evaluates it for each element of the hidden layer.

#include "mlir/IR/PatternMatch.h"

namespace acnn {

void populateErfApproximationPatterns(mlir::RewritePatternSet &patterns);

} // namespace acnn

#endif
