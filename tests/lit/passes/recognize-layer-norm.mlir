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

// -----

// GroupNorm as torch.onnx writes it: [N, C, H, W] reshaped to [N, groups,
// rest], normalised per row (InstanceNormalization with unit scale), reshaped
// back, then scaled and shifted per channel: one group_norm whose scale and
// bias are the per-channel constants.
// CHECK-LABEL: func @group_norm
// CHECK-NOT: acnn.reshape %arg0
// CHECK: %[[GN:.*]] = acnn.group_norm %arg0, %{{.*}}, %{{.*}} {groups = 2 : i64} : (tensor<1x4x3x3xf32>, tensor<4xf32>, tensor<4xf32>) -> tensor<1x4x3x3xf32>
// CHECK-NEXT: return %[[GN]]
// FOLDED-LABEL: func @group_norm
// FOLDED-DAG: %[[G:.*]] = acnn.constant dense<[1.000000e+00, 2.000000e+00, 3.000000e+00, 4.000000e+00]> : tensor<4xf32>
// FOLDED-DAG: %[[B:.*]] = acnn.constant dense<5.000000e-01> : tensor<4xf32>
// FOLDED: acnn.group_norm %arg0, %[[G]], %[[B]] {groups = 2 : i64}
func.func @group_norm(%x: tensor<1x4x3x3xf32>) -> tensor<1x4x3x3xf32> {
  %ones = acnn.constant dense<1.0> : tensor<18xf32>
  %gamma = acnn.constant dense<[[[1.0]], [[2.0]], [[3.0]], [[4.0]]]> : tensor<4x1x1xf32>
  %beta = acnn.constant dense<0.5> : tensor<4x1x1xf32>
  %r = acnn.reshape %x : (tensor<1x4x3x3xf32>) -> tensor<1x2x18xf32>
  %n = acnn.layer_norm %r, %ones {axis = 2 : i64} : (tensor<1x2x18xf32>, tensor<18xf32>) -> tensor<1x2x18xf32>
  %b = acnn.reshape %n : (tensor<1x2x18xf32>) -> tensor<1x4x3x3xf32>
  %y = acnn.mul %b, %gamma : (tensor<1x4x3x3xf32>, tensor<4x1x1xf32>) -> tensor<1x4x3x3xf32>
  %z = acnn.add %y, %beta : (tensor<1x4x3x3xf32>, tensor<4x1x1xf32>) -> tensor<1x4x3x3xf32>
  return %z : tensor<1x4x3x3xf32>
}

// -----

// A scale that differs along the row is not a per-group normalisation with
// per-channel parameters, and a reshape that does not split off whole
// channels is no group: both stay layer norms.
// CHECK-LABEL: func @not_group_norm
// CHECK-NOT: acnn.group_norm
// CHECK: return
func.func @not_group_norm(%x: tensor<1x4x3x3xf32>, %y: tensor<1x6x2x3xf32>) -> (tensor<1x4x3x3xf32>, tensor<1x6x2x3xf32>) {
  %ramp = acnn.constant dense<[1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0]> : tensor<18xf32>
  %r = acnn.reshape %x : (tensor<1x4x3x3xf32>) -> tensor<1x2x18xf32>
  %n = acnn.layer_norm %r, %ramp {axis = 2 : i64} : (tensor<1x2x18xf32>, tensor<18xf32>) -> tensor<1x2x18xf32>
  %b = acnn.reshape %n : (tensor<1x2x18xf32>) -> tensor<1x4x3x3xf32>
  %ones = acnn.constant dense<1.0> : tensor<9xf32>
  %r2 = acnn.reshape %y : (tensor<1x6x2x3xf32>) -> tensor<1x4x9xf32>
  %n2 = acnn.layer_norm %r2, %ones {axis = 2 : i64} : (tensor<1x4x9xf32>, tensor<9xf32>) -> tensor<1x4x9xf32>
  %b2 = acnn.reshape %n2 : (tensor<1x4x9xf32>) -> tensor<1x6x2x3xf32>
  return %b, %b2 : tensor<1x4x3x3xf32>, tensor<1x6x2x3xf32>
}

// -----

// InstanceNormalization as acnn imports it: a layer norm over H and W with
// unit scale, then the per-channel affine; one group_norm with a group per
// channel. Over C, H and W (axis 1) it is a layer norm and stays one.
// CHECK-LABEL: func @instance_norm
// CHECK: %[[GN:.*]] = acnn.group_norm %arg0, %{{.*}}, %{{.*}} {groups = 4 : i64} : (tensor<2x4x3x3xf32>, tensor<4xf32>, tensor<4xf32>) -> tensor<2x4x3x3xf32>
// CHECK: %[[LN:.*]] = acnn.layer_norm %arg0, %{{.*}} {axis = 1 : i64}
// CHECK: return %[[GN]], %[[LN]]
func.func @instance_norm(%x: tensor<2x4x3x3xf32>) -> (tensor<2x4x3x3xf32>, tensor<2x4x3x3xf32>) {
  %ones = acnn.constant dense<1.0> : tensor<3x3xf32>
  %gamma = acnn.constant dense<[[[1.0]], [[2.0]], [[3.0]], [[4.0]]]> : tensor<4x1x1xf32>
  %beta = acnn.constant dense<0.5> : tensor<4x1x1xf32>
  %n = acnn.layer_norm %x, %ones {axis = 2 : i64} : (tensor<2x4x3x3xf32>, tensor<3x3xf32>) -> tensor<2x4x3x3xf32>
  %y = acnn.mul %n, %gamma : (tensor<2x4x3x3xf32>, tensor<4x1x1xf32>) -> tensor<2x4x3x3xf32>
  %z = acnn.add %y, %beta : (tensor<2x4x3x3xf32>, tensor<4x1x1xf32>) -> tensor<2x4x3x3xf32>
  %all = acnn.constant dense<1.0> : tensor<4x3x3xf32>
  %l = acnn.layer_norm %x, %all {axis = 1 : i64} : (tensor<2x4x3x3xf32>, tensor<4x3x3xf32>) -> tensor<2x4x3x3xf32>
  return %z, %l : tensor<2x4x3x3xf32>, tensor<2x4x3x3xf32>
}
