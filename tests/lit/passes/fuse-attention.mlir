// RUN: acnn-opt %s -split-input-file -acnn-fuse-attention -canonicalize | FileCheck %s

// ViT / MHSA: softmax(q k^T * scale) v with heads as a batch axis.
// CHECK-LABEL: func @scaled
// CHECK-NEXT: %[[A:.*]] = acnn.attention %arg0, %arg1, %arg2 {scale = 0.353553385 : f32} : (tensor<1x4x9x8xf32>, tensor<1x4x9x8xf32>, tensor<1x4x9x8xf32>) -> tensor<1x4x9x8xf32>
// CHECK-NEXT: return %[[A]]
func.func @scaled(%q: tensor<1x4x9x8xf32>, %k: tensor<1x4x9x8xf32>, %v: tensor<1x4x9x8xf32>) -> tensor<1x4x9x8xf32> {
  %c = acnn.constant dense<0.353553385> : tensor<f32>
  %kt = acnn.transpose %k {perm = array<i64: 0, 1, 3, 2>} : (tensor<1x4x9x8xf32>) -> tensor<1x4x8x9xf32>
  %s = acnn.matmul %q, %kt : (tensor<1x4x9x8xf32>, tensor<1x4x8x9xf32>) -> tensor<1x4x9x9xf32>
  %t = acnn.mul %s, %c : (tensor<1x4x9x9xf32>, tensor<f32>) -> tensor<1x4x9x9xf32>
  %p = acnn.softmax %t : tensor<1x4x9x9xf32>
  %o = acnn.matmul %p, %v : (tensor<1x4x9x9xf32>, tensor<1x4x9x8xf32>) -> tensor<1x4x9x8xf32>
  return %o : tensor<1x4x9x8xf32>
}

// -----

// Division by sqrt(d) and an additive mask after it.
// CHECK-LABEL: func @masked
// CHECK: %[[KT:.*]] = acnn.transpose %arg1 {perm = array<i64: 0, 2, 1>} : (tensor<2x8x6xf32>) -> tensor<2x6x8xf32>
// CHECK: %[[A:.*]] = acnn.attention %arg0, %[[KT]], %arg2, %{{.*}} {scale = 2.500000e-01 : f32} : (tensor<2x5x8xf32>, tensor<2x6x8xf32>, tensor<2x6x3xf32>, tensor<5x6xf32>) -> tensor<2x5x3xf32>
// CHECK-NEXT: return %[[A]]
func.func @masked(%q: tensor<2x5x8xf32>, %kt: tensor<2x8x6xf32>, %v: tensor<2x6x3xf32>) -> tensor<2x5x3xf32> {
  %d = acnn.constant dense<4.0> : tensor<f32>
  %mask = acnn.constant dense<0.0> : tensor<5x6xf32>
  %s = acnn.matmul %q, %kt : (tensor<2x5x8xf32>, tensor<2x8x6xf32>) -> tensor<2x5x6xf32>
  %t = acnn.div %s, %d : (tensor<2x5x6xf32>, tensor<f32>) -> tensor<2x5x6xf32>
  %b = acnn.add %t, %mask : (tensor<2x5x6xf32>, tensor<5x6xf32>) -> tensor<2x5x6xf32>
  %p = acnn.softmax %b {axis = 2 : i64} : tensor<2x5x6xf32>
  %o = acnn.matmul %p, %v : (tensor<2x5x6xf32>, tensor<2x6x3xf32>) -> tensor<2x5x3xf32>
  return %o : tensor<2x5x3xf32>
}

// -----

// BoTNet: values as [E, N] and the output as [E, M], so the fused op is
// wrapped in transposes (the query's transpose cancels against the input's).
// CHECK-LABEL: func @values_first
// CHECK-DAG: %[[Q:.*]] = acnn.transpose %arg0 {perm = array<i64: 0, 2, 1>} : (tensor<1x8x16xf32>) -> tensor<1x16x8xf32>
// CHECK-DAG: %[[K:.*]] = acnn.transpose %arg1 {perm = array<i64: 0, 2, 1>} : (tensor<1x8x16xf32>) -> tensor<1x16x8xf32>
// CHECK-DAG: %[[V:.*]] = acnn.transpose %arg2 {perm = array<i64: 0, 2, 1>} : (tensor<1x4x16xf32>) -> tensor<1x16x4xf32>
// CHECK: %[[A:.*]] = acnn.attention %[[Q]], %[[K]], %[[V]] :
// CHECK: %[[O:.*]] = acnn.transpose %[[A]] {perm = array<i64: 0, 2, 1>} : (tensor<1x16x4xf32>) -> tensor<1x4x16xf32>
// CHECK-NEXT: return %[[O]]
func.func @values_first(%qc: tensor<1x8x16xf32>, %k: tensor<1x8x16xf32>, %v: tensor<1x4x16xf32>) -> tensor<1x4x16xf32> {
  %q = acnn.transpose %qc {perm = array<i64: 0, 2, 1>} : (tensor<1x8x16xf32>) -> tensor<1x16x8xf32>
  %s = acnn.matmul %q, %k : (tensor<1x16x8xf32>, tensor<1x8x16xf32>) -> tensor<1x16x16xf32>
  %p = acnn.softmax %s : tensor<1x16x16xf32>
  %pt = acnn.transpose %p {perm = array<i64: 0, 2, 1>} : (tensor<1x16x16xf32>) -> tensor<1x16x16xf32>
  %o = acnn.matmul %v, %pt : (tensor<1x4x16xf32>, tensor<1x16x16xf32>) -> tensor<1x4x16xf32>
  return %o : tensor<1x4x16xf32>
}

// -----

// DANet position attention: the values are computed after the softmax, so the
// fused op goes where the values matmul was.
// CHECK-LABEL: func @values_after_softmax
// CHECK: %[[V:.*]] = acnn.relu %arg2
// CHECK: %[[A:.*]] = acnn.attention %arg0, %arg1, %[[V]] :
// CHECK-NEXT: return %[[A]]
func.func @values_after_softmax(%q: tensor<1x16x4xf32>, %k: tensor<1x16x4xf32>, %x: tensor<1x16x8xf32>) -> tensor<1x16x8xf32> {
  %kt = acnn.transpose %k {perm = array<i64: 0, 2, 1>} : (tensor<1x16x4xf32>) -> tensor<1x4x16xf32>
  %s = acnn.matmul %q, %kt : (tensor<1x16x4xf32>, tensor<1x4x16xf32>) -> tensor<1x16x16xf32>
  %p = acnn.softmax %s : tensor<1x16x16xf32>
  %v = acnn.relu %x : tensor<1x16x8xf32>
  %o = acnn.matmul %p, %v : (tensor<1x16x16xf32>, tensor<1x16x8xf32>) -> tensor<1x16x8xf32>
  return %o : tensor<1x16x8xf32>
}

// -----

// Swin's shifted windows: a relative position bias, then a mask added to a
// [B / W, W, heads, M, N] view of the scores. Both become one bias of the
// scores' shape, the mask broadcast to its view and reshaped back.
// CHECK-LABEL: func @window_mask
// CHECK: %[[E:.*]] = acnn.expand %arg4 {shape = array<i64: 1, 2, 3, 4, 4>}
// CHECK: %[[M:.*]] = acnn.reshape %[[E]] : (tensor<1x2x3x4x4xf32>) -> tensor<2x3x4x4xf32>
// CHECK: %[[B:.*]] = acnn.add %[[M]], %arg3
// CHECK: %[[A:.*]] = acnn.attention %arg0, %arg1, %arg2, %[[B]] :
// CHECK-NEXT: return %[[A]]
func.func @window_mask(%q: tensor<2x3x4x8xf32>, %k: tensor<2x3x4x8xf32>, %v: tensor<2x3x4x8xf32>, %rel: tensor<1x3x4x4xf32>, %mask: tensor<1x2x1x4x4xf32>) -> tensor<2x3x4x8xf32> {
  %kt = acnn.transpose %k {perm = array<i64: 0, 1, 3, 2>} : (tensor<2x3x4x8xf32>) -> tensor<2x3x8x4xf32>
  %s = acnn.matmul %q, %kt : (tensor<2x3x4x8xf32>, tensor<2x3x8x4xf32>) -> tensor<2x3x4x4xf32>
  %b = acnn.add %s, %rel : (tensor<2x3x4x4xf32>, tensor<1x3x4x4xf32>) -> tensor<2x3x4x4xf32>
  %w = acnn.reshape %b : (tensor<2x3x4x4xf32>) -> tensor<1x2x3x4x4xf32>
  %m = acnn.add %w, %mask : (tensor<1x2x3x4x4xf32>, tensor<1x2x1x4x4xf32>) -> tensor<1x2x3x4x4xf32>
  %u = acnn.reshape %m : (tensor<1x2x3x4x4xf32>) -> tensor<2x3x4x4xf32>
  %p = acnn.softmax %u {axis = 3 : i64} : tensor<2x3x4x4xf32>
  %o = acnn.matmul %p, %v : (tensor<2x3x4x4xf32>, tensor<2x3x4x8xf32>) -> tensor<2x3x4x8xf32>
  return %o : tensor<2x3x4x8xf32>
}

// -----

// Softmax probabilities that are also returned are not fused away.
// CHECK-LABEL: func @probabilities_used
// CHECK-NOT: acnn.attention
func.func @probabilities_used(%q: tensor<1x5x8xf32>, %kt: tensor<1x8x5xf32>, %v: tensor<1x5x8xf32>) -> (tensor<1x5x8xf32>, tensor<1x5x5xf32>) {
  %s = acnn.matmul %q, %kt : (tensor<1x5x8xf32>, tensor<1x8x5xf32>) -> tensor<1x5x5xf32>
  %p = acnn.softmax %s : tensor<1x5x5xf32>
  %o = acnn.matmul %p, %v : (tensor<1x5x5xf32>, tensor<1x5x8xf32>) -> tensor<1x5x8xf32>
  return %o, %p : tensor<1x5x8xf32>, tensor<1x5x5xf32>
}
