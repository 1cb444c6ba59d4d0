// RUN: acnn-opt %s -split-input-file -acnn-fold-batch-norm | FileCheck %s
// RUN: acnn-opt %s -split-input-file -acnn-fold-batch-norm -acnn-fold-constants -canonicalize | FileCheck %s --check-prefix=FOLDED

// A batch norm after a conv becomes arithmetic on the conv's weight and bias.
// CHECK-LABEL: func @after_conv
// CHECK-NOT: acnn.batch_norm
// CHECK: %[[STD:.*]] = acnn.sqrt
// CHECK: %[[S:.*]] = acnn.div %{{.*}}, %[[STD]]
// CHECK: %[[SW:.*]] = acnn.reshape %[[S]] : (tensor<4xf32>) -> tensor<4x1x1x1xf32>
// CHECK: %[[W:.*]] = acnn.mul %{{.*}}, %[[SW]] : (tensor<4x2x3x3xf32>, tensor<4x1x1x1xf32>)
// CHECK: acnn.conv2d %arg0, %[[W]], %{{.*}} {pads = array<i64: 1, 1, 1, 1>}
// CHECK-NOT: acnn.batch_norm
// FOLDED-LABEL: func @after_conv
// gamma / sqrt(var + eps) = [1, 1, 1, -1/3]: filters 0.5 * that, bias beta - mean * that.
// FOLDED-DAG: %[[B:.*]] = acnn.constant dense<[1.000000e-01, -0.7999{{.*}}, 1.2999{{.*}}, 1.0666{{.*}}]> : tensor<4xf32>
// FOLDED-DAG: %[[W:.*]] = acnn.constant dense<{{\[\[\[\[}}0.4999{{.*}}, -0.16666{{[0-9]*}}]]]]> : tensor<4x2x3x3xf32>
// FOLDED: %[[C:.*]] = acnn.conv2d %arg0, %[[W]], %[[B]]
// FOLDED-NEXT: return %[[C]]
func.func @after_conv(%x: tensor<1x2x5x5xf32>) -> tensor<1x4x5x5xf32> {
  %w = acnn.constant dense<0.5> : tensor<4x2x3x3xf32>
  %gamma = acnn.constant dense<[1.0, 2.0, 0.5, -1.0]> : tensor<4xf32>
  %beta = acnn.constant dense<[0.1, 0.2, 0.3, 0.4]> : tensor<4xf32>
  %mean = acnn.constant dense<[0.0, 1.0, -1.0, 2.0]> : tensor<4xf32>
  %var = acnn.constant dense<[1.0, 4.0, 0.25, 9.0]> : tensor<4xf32>
  %c = acnn.conv2d %x, %w {pads = array<i64: 1, 1, 1, 1>} : (tensor<1x2x5x5xf32>, tensor<4x2x3x3xf32>) -> tensor<1x4x5x5xf32>
  %y = acnn.batch_norm %c, %gamma, %beta, %mean, %var : (tensor<1x4x5x5xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) -> tensor<1x4x5x5xf32>
  return %y : tensor<1x4x5x5xf32>
}

// -----

// A batch norm feeding an unpadded conv folds into that conv's input side.
// CHECK-LABEL: func @before_conv
// CHECK-NOT: acnn.batch_norm
// CHECK: acnn.reduce_sum %{{.*}} {axes = array<i64: 1, 2, 3>, keepdims = false}
// CHECK: acnn.conv2d %arg0,
// FOLDED-LABEL: func @before_conv
// FOLDED-NOT: acnn.batch_norm
// FOLDED: acnn.conv2d %arg0,
func.func @before_conv(%x: tensor<1x2x5x5xf32>) -> tensor<1x3x5x5xf32> {
  %w = acnn.constant dense<0.5> : tensor<3x2x1x1xf32>
  %p = acnn.constant dense<[2.0, 3.0]> : tensor<2xf32>
  %n = acnn.batch_norm %x, %p, %p, %p, %p : (tensor<1x2x5x5xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x2x5x5xf32>
  %c = acnn.conv2d %n, %w : (tensor<1x2x5x5xf32>, tensor<3x2x1x1xf32>) -> tensor<1x3x5x5xf32>
  return %c : tensor<1x3x5x5xf32>
}

// -----

// Padding would see un-normalised zeros: the batch norm stays a scale and shift.
// CHECK-LABEL: func @before_padded_conv
// CHECK-NOT: acnn.batch_norm
// CHECK: %[[M:.*]] = acnn.mul %arg0, %{{.*}} : (tensor<1x2x5x5xf32>, tensor<1x2x1x1xf32>)
// CHECK: %[[A:.*]] = acnn.add %[[M]], %{{.*}} : (tensor<1x2x5x5xf32>, tensor<1x2x1x1xf32>)
// CHECK: acnn.conv2d %[[A]],
func.func @before_padded_conv(%x: tensor<1x2x5x5xf32>) -> tensor<1x3x5x5xf32> {
  %w = acnn.constant dense<0.5> : tensor<3x2x3x3xf32>
  %p = acnn.constant dense<[2.0, 3.0]> : tensor<2xf32>
  %n = acnn.batch_norm %x, %p, %p, %p, %p : (tensor<1x2x5x5xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x2x5x5xf32>
  %c = acnn.conv2d %n, %w {pads = array<i64: 1, 1, 1, 1>} : (tensor<1x2x5x5xf32>, tensor<3x2x3x3xf32>) -> tensor<1x3x5x5xf32>
  return %c : tensor<1x3x5x5xf32>
}

// -----

// A conv with a second user keeps its output: the batch norm is decomposed.
// CHECK-LABEL: func @shared_conv
// CHECK: %[[C:.*]] = acnn.conv2d
// CHECK: acnn.mul %[[C]],
// CHECK: acnn.relu %[[C]]
func.func @shared_conv(%x: tensor<1x2x5x5xf32>) -> (tensor<1x2x5x5xf32>, tensor<1x2x5x5xf32>) {
  %w = acnn.constant dense<0.5> : tensor<2x2x1x1xf32>
  %p = acnn.constant dense<[2.0, 3.0]> : tensor<2xf32>
  %c = acnn.conv2d %x, %w : (tensor<1x2x5x5xf32>, tensor<2x2x1x1xf32>) -> tensor<1x2x5x5xf32>
  %n = acnn.batch_norm %c, %p, %p, %p, %p : (tensor<1x2x5x5xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x2x5x5xf32>
  %r = acnn.relu %c : tensor<1x2x5x5xf32>
  return %n, %r : tensor<1x2x5x5xf32>, tensor<1x2x5x5xf32>
}
