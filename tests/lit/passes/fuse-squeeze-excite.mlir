// RUN: acnn-opt %s -split-input-file -acnn-fuse-squeeze-excite -canonicalize | FileCheck %s
// RUN: acnn-opt %s -split-input-file -acnn-fuse-squeeze-excite -acnn-fold-constants -canonicalize | FileCheck %s --check-prefix=FOLDED

// torchvision-style SE: GlobalAveragePool, Reshape, Gemm, Relu, Gemm, Sigmoid, Reshape, Mul.
// CHECK-LABEL: func @linear_spelling
// CHECK-DAG: %[[B2:.*]] = acnn.constant dense<2.000000e-01> : tensor<8xf32>
// CHECK-DAG: %[[W2:.*]] = acnn.constant dense<1.000000e-01> : tensor<8x2xf32>
// CHECK-DAG: %[[B1:.*]] = acnn.constant dense<4.000000e-01> : tensor<2xf32>
// CHECK-DAG: %[[W1:.*]] = acnn.constant dense<3.000000e-01> : tensor<2x8xf32>
// CHECK-NOT: acnn.global_avg_pool
// CHECK: %[[SE:.*]] = acnn.squeeze_excite %arg0, %[[W1]], %[[B1]], %[[W2]], %[[B2]] : (tensor<1x8x4x4xf32>, tensor<2x8xf32>, tensor<2xf32>, tensor<8x2xf32>, tensor<8xf32>) -> tensor<1x8x4x4xf32>
// CHECK-NEXT: return %[[SE]]
func.func @linear_spelling(%x: tensor<1x8x4x4xf32>) -> tensor<1x8x4x4xf32> {
  %w1 = acnn.constant dense<0.3> : tensor<2x8xf32>
  %b1 = acnn.constant dense<0.4> : tensor<2xf32>
  %w2 = acnn.constant dense<0.1> : tensor<8x2xf32>
  %b2 = acnn.constant dense<0.2> : tensor<8xf32>
  %p = acnn.global_avg_pool %x : (tensor<1x8x4x4xf32>) -> tensor<1x8x1x1xf32>
  %f = acnn.reshape %p : (tensor<1x8x1x1xf32>) -> tensor<1x8xf32>
  %h = acnn.linear %f, %w1, %b1 : (tensor<1x8xf32>, tensor<2x8xf32>, tensor<2xf32>) -> tensor<1x2xf32>
  %r = acnn.relu %h : tensor<1x2xf32>
  %l = acnn.linear %r, %w2, %b2 : (tensor<1x2xf32>, tensor<8x2xf32>, tensor<8xf32>) -> tensor<1x8xf32>
  %s = acnn.sigmoid %l : tensor<1x8xf32>
  %g = acnn.reshape %s : (tensor<1x8xf32>) -> tensor<1x8x1x1xf32>
  %y = acnn.mul %x, %g : (tensor<1x8x4x4xf32>, tensor<1x8x1x1xf32>) -> tensor<1x8x4x4xf32>
  return %y : tensor<1x8x4x4xf32>
}

// -----

// MobileNetV3-style SE: ReduceMean, 1x1 convs without bias, SiLU, hard sigmoid.
// CHECK-LABEL: func @conv_spelling
// CHECK: %[[W1:.*]] = acnn.reshape %{{.*}} : (tensor<2x8x1x1xf32>) -> tensor<2x8xf32>
// CHECK: %[[W2:.*]] = acnn.reshape %{{.*}} : (tensor<8x2x1x1xf32>) -> tensor<8x2xf32>
// CHECK: %[[SE:.*]] = acnn.squeeze_excite %arg0, %[[W1]], %{{.*}}, %[[W2]], %{{.*}} {activation = "silu", gate = "hard_sigmoid"}
// CHECK-NEXT: return %[[SE]]
// FOLDED-LABEL: func @conv_spelling
// FOLDED-DAG: %[[Z8:.*]] = acnn.constant dense<0.000000e+00> : tensor<8xf32>
// FOLDED-DAG: %[[Z2:.*]] = acnn.constant dense<0.000000e+00> : tensor<2xf32>
// FOLDED-DAG: %[[W1:.*]] = acnn.constant dense<3.000000e-01> : tensor<2x8xf32>
// FOLDED-DAG: %[[W2:.*]] = acnn.constant dense<1.000000e-01> : tensor<8x2xf32>
// FOLDED: acnn.squeeze_excite %arg0, %[[W1]], %[[Z2]], %[[W2]], %[[Z8]] {activation = "silu", gate = "hard_sigmoid"}
func.func @conv_spelling(%x: tensor<2x8x4x4xf32>) -> tensor<2x8x4x4xf32> {
  %w1 = acnn.constant dense<0.3> : tensor<2x8x1x1xf32>
  %w2 = acnn.constant dense<0.1> : tensor<8x2x1x1xf32>
  %p = acnn.reduce_mean %x {axes = array<i64: 2, 3>} : (tensor<2x8x4x4xf32>) -> tensor<2x8x1x1xf32>
  %h = acnn.conv2d %p, %w1 : (tensor<2x8x1x1xf32>, tensor<2x8x1x1xf32>) -> tensor<2x2x1x1xf32>
  %r = acnn.silu %h : tensor<2x2x1x1xf32>
  %l = acnn.conv2d %r, %w2 : (tensor<2x2x1x1xf32>, tensor<8x2x1x1xf32>) -> tensor<2x8x1x1xf32>
  %s = acnn.hard_sigmoid %l {alpha = 0.166666672 : f32, beta = 0.5 : f32} : tensor<2x8x1x1xf32>
  %y = acnn.mul %s, %x : (tensor<2x8x1x1xf32>, tensor<2x8x4x4xf32>) -> tensor<2x8x4x4xf32>
  return %y : tensor<2x8x4x4xf32>
}

// -----

// MatMul + Add layers (Linear exported without Gemm), Flatten after the pool.
// CHECK-LABEL: func @matmul_spelling
// CHECK: %[[W1:.*]] = acnn.transpose %{{.*}} {perm = array<i64: 1, 0>} : (tensor<8x2xf32>) -> tensor<2x8xf32>
// CHECK: %[[W2:.*]] = acnn.transpose %{{.*}} {perm = array<i64: 1, 0>} : (tensor<2x8xf32>) -> tensor<8x2xf32>
// CHECK: acnn.squeeze_excite %arg0, %[[W1]], %{{.*}}, %[[W2]], %{{.*}} :
// FOLDED-LABEL: func @matmul_spelling
// FOLDED-NOT: acnn.matmul
// FOLDED: acnn.squeeze_excite
func.func @matmul_spelling(%x: tensor<1x8x4x4xf32>) -> tensor<1x8x4x4xf32> {
  %w1 = acnn.constant dense<0.3> : tensor<8x2xf32>
  %b1 = acnn.constant dense<0.4> : tensor<2xf32>
  %w2 = acnn.constant dense<0.1> : tensor<2x8xf32>
  %b2 = acnn.constant dense<0.2> : tensor<1x8xf32>
  %p = acnn.global_avg_pool %x : (tensor<1x8x4x4xf32>) -> tensor<1x8x1x1xf32>
  %f = acnn.flatten %p : (tensor<1x8x1x1xf32>) -> tensor<1x8xf32>
  %m1 = acnn.matmul %f, %w1 : (tensor<1x8xf32>, tensor<8x2xf32>) -> tensor<1x2xf32>
  %h = acnn.add %m1, %b1 : (tensor<1x2xf32>, tensor<2xf32>) -> tensor<1x2xf32>
  %r = acnn.relu %h : tensor<1x2xf32>
  %m2 = acnn.matmul %r, %w2 : (tensor<1x2xf32>, tensor<2x8xf32>) -> tensor<1x8xf32>
  %l = acnn.add %b2, %m2 : (tensor<1x8xf32>, tensor<1x8xf32>) -> tensor<1x8xf32>
  %s = acnn.sigmoid %l : tensor<1x8xf32>
  %g = acnn.reshape %s : (tensor<1x8xf32>) -> tensor<1x8x1x1xf32>
  %y = acnn.mul %x, %g : (tensor<1x8x4x4xf32>, tensor<1x8x1x1xf32>) -> tensor<1x8x4x4xf32>
  return %y : tensor<1x8x4x4xf32>
}

// -----

// A gate computed from another map is not squeeze-and-excitation of x.
// CHECK-LABEL: func @other_map
// CHECK-NOT: acnn.squeeze_excite
// FOLDED-LABEL: func @other_map
func.func @other_map(%x: tensor<1x8x4x4xf32>, %z: tensor<1x8x4x4xf32>) -> tensor<1x8x4x4xf32> {
  %w1 = acnn.constant dense<0.3> : tensor<2x8xf32>
  %w2 = acnn.constant dense<0.1> : tensor<8x2xf32>
  %p = acnn.global_avg_pool %z : (tensor<1x8x4x4xf32>) -> tensor<1x8x1x1xf32>
  %f = acnn.reshape %p : (tensor<1x8x1x1xf32>) -> tensor<1x8xf32>
  %h = acnn.linear %f, %w1 : (tensor<1x8xf32>, tensor<2x8xf32>) -> tensor<1x2xf32>
  %r = acnn.relu %h : tensor<1x2xf32>
  %l = acnn.linear %r, %w2 : (tensor<1x2xf32>, tensor<8x2xf32>) -> tensor<1x8xf32>
  %s = acnn.sigmoid %l : tensor<1x8xf32>
  %g = acnn.reshape %s : (tensor<1x8xf32>) -> tensor<1x8x1x1xf32>
  %y = acnn.mul %x, %g : (tensor<1x8x4x4xf32>, tensor<1x8x1x1xf32>) -> tensor<1x8x4x4xf32>
  return %y : tensor<1x8x4x4xf32>
}

// -----

// Paddle's and Keras's gate, HardSigmoid(alpha = 0.2, beta = 0.5): fc2 is
// scaled so the op's gate (z / 6 + 1/2) computes it: 6 * 0.2 = 1.2 times the
// weights and bias, plus 6 * (0.5 - 0.5) = 0.
// CHECK-LABEL: func @paddle_hard_sigmoid
// CHECK: acnn.squeeze_excite
// FOLDED-LABEL: func @paddle_hard_sigmoid
// FOLDED-DAG: %[[W2:.*]] = acnn.constant dense<0.120000005> : tensor<8x2xf32>
// FOLDED-DAG: %[[B2:.*]] = acnn.constant dense<0.24000001> : tensor<8xf32>
// FOLDED: acnn.squeeze_excite %arg0, %{{.*}}, %{{.*}}, %[[W2]], %[[B2]] {gate = "hard_sigmoid"}
func.func @paddle_hard_sigmoid(%x: tensor<1x8x4x4xf32>) -> tensor<1x8x4x4xf32> {
  %w1 = acnn.constant dense<0.3> : tensor<2x8x1x1xf32>
  %b1 = acnn.constant dense<0.4> : tensor<2xf32>
  %w2 = acnn.constant dense<0.1> : tensor<8x2x1x1xf32>
  %b2 = acnn.constant dense<0.2> : tensor<8xf32>
  %p = acnn.global_avg_pool %x : (tensor<1x8x4x4xf32>) -> tensor<1x8x1x1xf32>
  %h = acnn.conv2d %p, %w1, %b1 {activation = "relu"} : (tensor<1x8x1x1xf32>, tensor<2x8x1x1xf32>, tensor<2xf32>) -> tensor<1x2x1x1xf32>
  %l = acnn.conv2d %h, %w2, %b2 : (tensor<1x2x1x1xf32>, tensor<8x2x1x1xf32>, tensor<8xf32>) -> tensor<1x8x1x1xf32>
  %s = acnn.hard_sigmoid %l {alpha = 0.2 : f32, beta = 0.5 : f32} : tensor<1x8x1x1xf32>
  %y = acnn.mul %x, %s : (tensor<1x8x4x4xf32>, tensor<1x8x1x1xf32>) -> tensor<1x8x4x4xf32>
  return %y : tensor<1x8x4x4xf32>
}

// -----

// The gate spelled Clip(z + 3, 0, 6) / 6 (relu6(z + 3) / 6) is PyTorch's hard
// sigmoid: fc2 unchanged.
// CHECK-LABEL: func @clip_spelling
// CHECK: acnn.squeeze_excite
// FOLDED-LABEL: func @clip_spelling
// FOLDED-DAG: %[[W2:.*]] = acnn.constant dense<1.000000e-01> : tensor<8x2xf32>
// FOLDED-DAG: %[[B2:.*]] = acnn.constant dense<2.000000e-01> : tensor<8xf32>
// FOLDED: acnn.squeeze_excite %arg0, %{{.*}}, %{{.*}}, %[[W2]], %[[B2]] {gate = "hard_sigmoid"}
// FOLDED-NOT: acnn.clip
func.func @clip_spelling(%x: tensor<1x8x4x4xf32>) -> tensor<1x8x4x4xf32> {
  %w1 = acnn.constant dense<0.3> : tensor<2x8x1x1xf32>
  %b1 = acnn.constant dense<0.4> : tensor<2xf32>
  %w2 = acnn.constant dense<0.1> : tensor<8x2x1x1xf32>
  %b2 = acnn.constant dense<0.2> : tensor<8xf32>
  %three = acnn.constant dense<3.0> : tensor<1xf32>
  %six = acnn.constant dense<6.0> : tensor<1xf32>
  %p = acnn.global_avg_pool %x : (tensor<1x8x4x4xf32>) -> tensor<1x8x1x1xf32>
  %h = acnn.conv2d %p, %w1, %b1 {activation = "relu"} : (tensor<1x8x1x1xf32>, tensor<2x8x1x1xf32>, tensor<2xf32>) -> tensor<1x2x1x1xf32>
  %l = acnn.conv2d %h, %w2, %b2 : (tensor<1x2x1x1xf32>, tensor<8x2x1x1xf32>, tensor<8xf32>) -> tensor<1x8x1x1xf32>
  %a = acnn.add %l, %three : (tensor<1x8x1x1xf32>, tensor<1xf32>) -> tensor<1x8x1x1xf32>
  %c = acnn.clip %a {min = 0.0 : f32, max = 6.0 : f32} : tensor<1x8x1x1xf32>
  %s = acnn.div %c, %six : (tensor<1x8x1x1xf32>, tensor<1xf32>) -> tensor<1x8x1x1xf32>
  %y = acnn.mul %x, %s : (tensor<1x8x4x4xf32>, tensor<1x8x1x1xf32>) -> tensor<1x8x4x4xf32>
  return %y : tensor<1x8x4x4xf32>
}
