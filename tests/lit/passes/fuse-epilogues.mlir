// RUN: acnn-opt %s -split-input-file -acnn-fuse-epilogues | FileCheck %s
// RUN: acnn-opt %s -split-input-file -acnn-fuse-epilogues -acnn-fold-constants -canonicalize | FileCheck %s --check-prefix=FOLDED

// Scale, shift, residual add and relu after a conv: one conv remains.
// CHECK-LABEL: func @conv_chain
// CHECK: %[[SW:.*]] = acnn.mul %{{.*}}, %{{.*}} : (tensor<4x2x3x3xf32>, tensor<4x1x1x1xf32>)
// CHECK: %[[SB:.*]] = acnn.mul %{{.*}}, %{{.*}} : (tensor<4xf32>, tensor<4xf32>)
// CHECK: %[[B:.*]] = acnn.add %[[SB]], %{{.*}} : (tensor<4xf32>, tensor<4xf32>)
// CHECK: %[[C:.*]] = acnn.conv2d %arg0, %[[SW]], %[[B]] residual(%arg1) {activation = "relu", pads = array<i64: 1, 1, 1, 1>}
// CHECK-NEXT: return %[[C]]
// FOLDED-LABEL: func @conv_chain
// FOLDED-DAG: %[[W:.*]] = acnn.constant dense<1.000000e+00> : tensor<4x2x3x3xf32>
// FOLDED-DAG: %[[B:.*]] = acnn.constant dense<[3.000000e+00, 6.000000e+00, 9.000000e+00, 1.200000e+01]>
// FOLDED: %[[C:.*]] = acnn.conv2d %arg0, %[[W]], %[[B]] residual(%arg1) {activation = "relu", pads = array<i64: 1, 1, 1, 1>}
// FOLDED-NEXT: return %[[C]]
func.func @conv_chain(%x: tensor<1x2x5x5xf32>, %skip: tensor<1x4x5x5xf32>) -> tensor<1x4x5x5xf32> {
  %w = acnn.constant dense<0.5> : tensor<4x2x3x3xf32>
  %b = acnn.constant dense<[1.0, 2.0, 3.0, 4.0]> : tensor<4xf32>
  %shift = acnn.constant dense<[[[1.0]], [[2.0]], [[3.0]], [[4.0]]]> : tensor<4x1x1xf32>
  %scale = acnn.constant dense<2.0> : tensor<1x4x1x1xf32>
  %c = acnn.conv2d %x, %w, %b {pads = array<i64: 1, 1, 1, 1>} : (tensor<1x2x5x5xf32>, tensor<4x2x3x3xf32>, tensor<4xf32>) -> tensor<1x4x5x5xf32>
  %s = acnn.mul %c, %scale : (tensor<1x4x5x5xf32>, tensor<1x4x1x1xf32>) -> tensor<1x4x5x5xf32>
  %t = acnn.add %shift, %s : (tensor<4x1x1xf32>, tensor<1x4x5x5xf32>) -> tensor<1x4x5x5xf32>
  %r = acnn.add %t, %skip : (tensor<1x4x5x5xf32>, tensor<1x4x5x5xf32>) -> tensor<1x4x5x5xf32>
  %y = acnn.relu %r : tensor<1x4x5x5xf32>
  return %y : tensor<1x4x5x5xf32>
}

// -----

// A transformer MLP as exported: matmul by a weight, bias add, GELU, then the
// second matmul, its bias and the residual add.
// CHECK-LABEL: func @mlp
// CHECK: %[[W1:.*]] = acnn.transpose %{{.*}} {perm = array<i64: 1, 0>} : (tensor<8x16xf32>) -> tensor<16x8xf32>
// CHECK: %[[H:.*]] = acnn.linear %arg0, %[[W1]], %{{.*}} {activation = "gelu"}
// CHECK: %[[W2:.*]] = acnn.transpose %{{.*}} {perm = array<i64: 1, 0>} : (tensor<16x8xf32>) -> tensor<8x16xf32>
// CHECK: %[[Y:.*]] = acnn.linear %[[H]], %[[W2]], %{{.*}} residual(%arg0) :
// CHECK-NEXT: return %[[Y]]
// FOLDED-LABEL: func @mlp
// FOLDED-COUNT-2: acnn.linear
// FOLDED-NOT: acnn.add
// FOLDED-NOT: acnn.gelu
func.func @mlp(%x: tensor<1x5x8xf32>) -> tensor<1x5x8xf32> {
  %w1 = acnn.constant dense<0.1> : tensor<8x16xf32>
  %b1 = acnn.constant dense<0.2> : tensor<16xf32>
  %w2 = acnn.constant dense<0.3> : tensor<16x8xf32>
  %b2 = acnn.constant dense<0.4> : tensor<8xf32>
  %m1 = acnn.matmul %x, %w1 : (tensor<1x5x8xf32>, tensor<8x16xf32>) -> tensor<1x5x16xf32>
  %a1 = acnn.add %b1, %m1 : (tensor<16xf32>, tensor<1x5x16xf32>) -> tensor<1x5x16xf32>
  %g = acnn.gelu %a1 : tensor<1x5x16xf32>
  %m2 = acnn.matmul %g, %w2 : (tensor<1x5x16xf32>, tensor<16x8xf32>) -> tensor<1x5x8xf32>
  %a2 = acnn.add %b2, %m2 : (tensor<8xf32>, tensor<1x5x8xf32>) -> tensor<1x5x8xf32>
  %r = acnn.add %x, %a2 : (tensor<1x5x8xf32>, tensor<1x5x8xf32>) -> tensor<1x5x8xf32>
  return %r : tensor<1x5x8xf32>
}

// -----

// ONNX Runtime's optimized models: the MLP's matmul and bias a 2-D Gemm
// between reshapes, the GELU after the reshape back. The GELU is the linear's
// epilogue all the same; the reshape stays, now of the activated result.
// CHECK-LABEL: func @activation_after_reshape
// CHECK: %[[H:.*]] = acnn.linear %{{.*}}, %{{.*}}, %{{.*}} {activation = "gelu"} : {{.*}} -> tensor<10x16xf32>
// CHECK-NEXT: %[[R:.*]] = acnn.reshape %[[H]] : (tensor<10x16xf32>) -> tensor<2x5x16xf32>
// CHECK-NEXT: return %[[R]]
func.func @activation_after_reshape(%x: tensor<10x8xf32>) -> tensor<2x5x16xf32> {
  %w = acnn.constant dense<0.1> : tensor<16x8xf32>
  %b = acnn.constant dense<0.2> : tensor<16xf32>
  %y = acnn.linear %x, %w, %b : (tensor<10x8xf32>, tensor<16x8xf32>, tensor<16xf32>) -> tensor<10x16xf32>
  %r = acnn.reshape %y : (tensor<10x16xf32>) -> tensor<2x5x16xf32>
  %g = acnn.gelu %r : tensor<2x5x16xf32>
  return %g : tensor<2x5x16xf32>
}

// -----

// A matmul of two activations takes a residual and an activation; a constant
// that is not per-channel is a residual too.
// CHECK-LABEL: func @activations_matmul
// CHECK: %[[M:.*]] = acnn.matmul %arg0, %arg1 residual(%{{.*}}) {activation = "sigmoid"} : (tensor<2x3x4xf32>, tensor<2x4x3xf32>, tensor<3x3xf32>) -> tensor<2x3x3xf32>
// CHECK-NEXT: return %[[M]]
// FOLDED-LABEL: func @activations_matmul
func.func @activations_matmul(%a: tensor<2x3x4xf32>, %b: tensor<2x4x3xf32>) -> tensor<2x3x3xf32> {
  %mask = acnn.constant dense<[[0.0, -1.0, -1.0], [0.0, 0.0, -1.0], [0.0, 0.0, 0.0]]> : tensor<3x3xf32>
  %m = acnn.matmul %a, %b : (tensor<2x3x4xf32>, tensor<2x4x3xf32>) -> tensor<2x3x3xf32>
  %s = acnn.add %m, %mask : (tensor<2x3x3xf32>, tensor<3x3xf32>) -> tensor<2x3x3xf32>
  %y = acnn.sigmoid %s : tensor<2x3x3xf32>
  return %y : tensor<2x3x3xf32>
}

// -----

// Nothing fuses into a conv whose result is read twice, and an add after an
// activation is not an epilogue (the activation comes last).
// CHECK-LABEL: func @not_fused
// CHECK: %[[C:.*]] = acnn.conv2d %arg0, %{{.*}} : (
// CHECK: acnn.relu %[[C]]
// CHECK: %[[D:.*]] = acnn.conv2d %arg0, %{{.*}} {activation = "relu"}
// CHECK: acnn.add %[[D]], %arg0
// FOLDED-LABEL: func @not_fused
func.func @not_fused(%x: tensor<1x2x4x4xf32>) -> (tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>) {
  %w = acnn.constant dense<0.5> : tensor<2x2x1x1xf32>
  %c = acnn.conv2d %x, %w : (tensor<1x2x4x4xf32>, tensor<2x2x1x1xf32>) -> tensor<1x2x4x4xf32>
  %r = acnn.relu %c : tensor<1x2x4x4xf32>
  %d = acnn.conv2d %x, %w : (tensor<1x2x4x4xf32>, tensor<2x2x1x1xf32>) -> tensor<1x2x4x4xf32>
  %e = acnn.relu %d : tensor<1x2x4x4xf32>
  %f = acnn.add %e, %x : (tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32>
  return %c, %r, %f : tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>
}

// -----

// A clip to [0, 6] (ReLU6, as MobileNets export it) is the conv's relu6
// epilogue; a clip to another range stays an op of its own.
// CHECK-LABEL: func @relu6
// CHECK: %[[C:.*]] = acnn.conv2d %arg0, %{{.*}}, %{{.*}} {activation = "relu6"}
// CHECK: %[[D:.*]] = acnn.conv2d %[[C]], %{{.*}}, %{{.*}} :
// CHECK: %[[Y:.*]] = acnn.clip %[[D]] {max = 4.000000e+00 : f32, min = 0.000000e+00 : f32}
// CHECK-NEXT: return %[[Y]]
func.func @relu6(%x: tensor<1x2x5x5xf32>) -> tensor<1x2x5x5xf32> {
  %w = acnn.constant dense<0.5> : tensor<2x2x1x1xf32>
  %b = acnn.constant dense<1.0> : tensor<2xf32>
  %c = acnn.conv2d %x, %w, %b : (tensor<1x2x5x5xf32>, tensor<2x2x1x1xf32>, tensor<2xf32>) -> tensor<1x2x5x5xf32>
  %r = acnn.clip %c {min = 0.0 : f32, max = 6.0 : f32} : tensor<1x2x5x5xf32>
  %d = acnn.conv2d %r, %w, %b : (tensor<1x2x5x5xf32>, tensor<2x2x1x1xf32>, tensor<2xf32>) -> tensor<1x2x5x5xf32>
  %y = acnn.clip %d {min = 0.0 : f32, max = 4.0 : f32} : tensor<1x2x5x5xf32>
  return %y : tensor<1x2x5x5xf32>
}
