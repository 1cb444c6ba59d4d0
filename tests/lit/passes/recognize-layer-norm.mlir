// RUN: acnn-opt %s -split-input-file -acnn-recognize-layer-norm | FileCheck %s
// RUN: acnn-opt %s -split-input-file -acnn-recognize-layer-norm -acnn-fold-constants -canonicalize | FileCheck %s --check-prefix=FOLDED

// LayerNormalization as exported before opset 17.
// CHECK-LABEL: func @decomposed
// The scale starts as ones times gamma, which folds to gamma.
// CHECK: %[[G:.*]] = acnn.constant dense<2.000000e+00> : tensor<8xf32>
// CHECK: %[[LN:.*]] = acnn.layer_norm %arg0, %[[G]], %{{.*}} {axis = 2 : i64}
// CHECK-NEXT: return %[[LN]]
// FOLDED-LABEL: func @decomposed
// FOLDED-DAG: %[[G:.*]] = acnn.constant dense<2.000000e+00> : tensor<8xf32>
// FOLDED-DAG: %[[B:.*]] = acnn.constant dense<3.000000e+00> : tensor<8xf32>
// FOLDED: acnn.layer_norm %arg0, %[[G]], %[[B]] {axis = 2 : i64
func.func @decomposed(%x: tensor<1x5x8xf32>) -> tensor<1x5x8xf32> {
  %two = acnn.constant dense<2.0> : tensor<f32>
  %eps = acnn.constant dense<1.0e-5> : tensor<f32>
  %gamma = acnn.constant dense<2.0> : tensor<8xf32>
  %beta = acnn.constant dense<3.0> : tensor<8xf32>
  %mean = acnn.reduce_mean %x {axes = array<i64: -1>} : (tensor<1x5x8xf32>) -> tensor<1x5x1xf32>
  %d = acnn.sub %x, %mean : (tensor<1x5x8xf32>, tensor<1x5x1xf32>) -> tensor<1x5x8xf32>
  %p = acnn.pow %d, %two : (tensor<1x5x8xf32>, tensor<f32>) -> tensor<1x5x8xf32>
  %var = acnn.reduce_mean %p {axes = array<i64: -1>} : (tensor<1x5x8xf32>) -> tensor<1x5x1xf32>
  %ve = acnn.add %var, %eps : (tensor<1x5x1xf32>, tensor<f32>) -> tensor<1x5x1xf32>
  %s = acnn.sqrt %ve : tensor<1x5x1xf32>
  %n = acnn.div %d, %s : (tensor<1x5x8xf32>, tensor<1x5x1xf32>) -> tensor<1x5x8xf32>
  %y = acnn.mul %n, %gamma : (tensor<1x5x8xf32>, tensor<8xf32>) -> tensor<1x5x8xf32>
  %z = acnn.add %y, %beta : (tensor<1x5x8xf32>, tensor<8xf32>) -> tensor<1x5x8xf32>
  return %z : tensor<1x5x8xf32>
}

// -----

// Means over an axis that is not the last are not a layer norm.
// CHECK-LABEL: func @not_trailing
// CHECK-NOT: acnn.layer_norm
// FOLDED-LABEL: func @not_trailing
// FOLDED-NOT: acnn.layer_norm
func.func @not_trailing(%x: tensor<1x5x8xf32>) -> tensor<1x5x8xf32> {
  %two = acnn.constant dense<2.0> : tensor<f32>
  %eps = acnn.constant dense<1.0e-5> : tensor<f32>
  %mean = acnn.reduce_mean %x {axes = array<i64: 1>} : (tensor<1x5x8xf32>) -> tensor<1x1x8xf32>
  %d = acnn.sub %x, %mean : (tensor<1x5x8xf32>, tensor<1x1x8xf32>) -> tensor<1x5x8xf32>
  %p = acnn.pow %d, %two : (tensor<1x5x8xf32>, tensor<f32>) -> tensor<1x5x8xf32>
  %var = acnn.reduce_mean %p {axes = array<i64: 1>} : (tensor<1x5x8xf32>) -> tensor<1x1x8xf32>
  %ve = acnn.add %var, %eps : (tensor<1x1x8xf32>, tensor<f32>) -> tensor<1x1x8xf32>
  %s = acnn.sqrt %ve : tensor<1x1x8xf32>
  %n = acnn.div %d, %s : (tensor<1x5x8xf32>, tensor<1x1x8xf32>) -> tensor<1x5x8xf32>
  return %n : tensor<1x5x8xf32>
}
