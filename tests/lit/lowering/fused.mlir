// RUN: acnn-opt %s -split-input-file -acnn-convert-to-linalg | FileCheck %s

// Squeeze-excite: pool, two small matmuls on the broadcast biases, the gate,
// and one generic scaling the map by the per-(n, c) gate.
// CHECK-LABEL: func @squeeze_excite
// CHECK-NOT: acnn.
// CHECK: linalg.generic {{.*}}iterator_types = ["parallel", "parallel", "reduction", "reduction"]
// CHECK: linalg.matmul
// CHECK: linalg.matmul
// CHECK: linalg.generic {indexing_maps = [#{{.*}}, #{{.*}}, #{{.*}}], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%arg0, %{{.*}} : tensor<1x8x4x4xf32>, tensor<1x8xf32>)
func.func @squeeze_excite(%x: tensor<1x8x4x4xf32>) -> tensor<1x8x4x4xf32> {
  %w1 = acnn.constant dense<0.3> : tensor<2x8xf32>
  %b1 = acnn.constant dense<0.4> : tensor<2xf32>
  %w2 = acnn.constant dense<0.1> : tensor<8x2xf32>
  %b2 = acnn.constant dense<0.2> : tensor<8xf32>
  %y = acnn.squeeze_excite %x, %w1, %b1, %w2, %b2 : (tensor<1x8x4x4xf32>, tensor<2x8xf32>, tensor<2xf32>, tensor<8x2xf32>, tensor<8xf32>) -> tensor<1x8x4x4xf32>
  return %y : tensor<1x8x4x4xf32>
}

// -----

// A conv epilogue: one generic after the conv adds the residual and applies relu.
// CHECK-LABEL: func @conv_epilogue
// CHECK: %[[C:.*]] = linalg.conv_2d_nchw_fchw
// CHECK: linalg.generic {{.*}} ins(%[[C]], %arg1 : tensor<1x4x5x5xf32>, tensor<1x4x5x5xf32>)
// CHECK: arith.addf
// CHECK: arith.maximumf
func.func @conv_epilogue(%x: tensor<1x2x5x5xf32>, %r: tensor<1x4x5x5xf32>) -> tensor<1x4x5x5xf32> {
  %w = acnn.constant dense<0.5> : tensor<4x2x3x3xf32>
  %c = acnn.conv2d %x, %w residual(%r) {activation = "relu", pads = array<i64: 1, 1, 1, 1>} : (tensor<1x2x5x5xf32>, tensor<4x2x3x3xf32>, tensor<1x4x5x5xf32>) -> tensor<1x4x5x5xf32>
  return %c : tensor<1x4x5x5xf32>
}
