// RUN: acnn-opt %s | acnn-opt | FileCheck %s
// Every op parses, verifies, prints and parses again.

// CHECK-LABEL: func @conv_block
func.func @conv_block(%x: tensor<1x8x16x16xf32>) -> tensor<1x16x8x8xf32> {
  %w = acnn.constant dense<0.5> : tensor<16x8x3x3xf32>
  %b = acnn.constant dense<0.1> : tensor<16xf32>
  %s = acnn.constant dense<1.0> : tensor<16xf32>
  // CHECK: acnn.conv2d %{{.*}}, %{{.*}}, %{{.*}} {pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>} : (tensor<1x8x16x16xf32>, tensor<16x8x3x3xf32>, tensor<16xf32>) -> tensor<1x16x8x8xf32>
  %c = acnn.conv2d %x, %w, %b {strides = array<i64: 2, 2>, pads = array<i64: 1, 1, 1, 1>} : (tensor<1x8x16x16xf32>, tensor<16x8x3x3xf32>, tensor<16xf32>) -> tensor<1x16x8x8xf32>
  // CHECK: acnn.batch_norm
  %n = acnn.batch_norm %c, %s, %b, %b, %s {epsilon = 1.0e-3 : f32} : (tensor<1x16x8x8xf32>, tensor<16xf32>, tensor<16xf32>, tensor<16xf32>, tensor<16xf32>) -> tensor<1x16x8x8xf32>
  // CHECK: acnn.relu %{{.*}} : tensor<1x16x8x8xf32>
  %r = acnn.relu %n : tensor<1x16x8x8xf32>
  return %r : tensor<1x16x8x8xf32>
}

// CHECK-LABEL: func @squeeze_excite
func.func @squeeze_excite(%x: tensor<1x16x8x8xf32>) -> tensor<1x16x8x8xf32> {
  %w1 = acnn.constant dense<0.1> : tensor<4x16xf32>
  %w2 = acnn.constant dense<0.2> : tensor<16x4xf32>
  // CHECK: acnn.global_avg_pool %{{.*}} : (tensor<1x16x8x8xf32>) -> tensor<1x16x1x1xf32>
  %p = acnn.global_avg_pool %x : (tensor<1x16x8x8xf32>) -> tensor<1x16x1x1xf32>
  %f = acnn.flatten %p : (tensor<1x16x1x1xf32>) -> tensor<1x16xf32>
  // CHECK: acnn.linear %{{.*}}, %{{.*}} : (tensor<1x16xf32>, tensor<4x16xf32>) -> tensor<1x4xf32>
  %h = acnn.linear %f, %w1 : (tensor<1x16xf32>, tensor<4x16xf32>) -> tensor<1x4xf32>
  %a = acnn.silu %h : tensor<1x4xf32>
  %g = acnn.linear %a, %w2 : (tensor<1x4xf32>, tensor<16x4xf32>) -> tensor<1x16xf32>
  %s = acnn.hard_sigmoid %g {alpha = 0.1666 : f32} : tensor<1x16xf32>
  // CHECK: acnn.reshape %{{.*}} : (tensor<1x16xf32>) -> tensor<1x16x1x1xf32>
  %r = acnn.reshape %s : (tensor<1x16xf32>) -> tensor<1x16x1x1xf32>
  // CHECK: acnn.mul %{{.*}}, %{{.*}} : (tensor<1x16x8x8xf32>, tensor<1x16x1x1xf32>) -> tensor<1x16x8x8xf32>
  %y = acnn.mul %x, %r : (tensor<1x16x8x8xf32>, tensor<1x16x1x1xf32>) -> tensor<1x16x8x8xf32>
  return %y : tensor<1x16x8x8xf32>
}

// CHECK-LABEL: func @spatial_attention
func.func @spatial_attention(%x: tensor<1x16x8x8xf32>) -> tensor<1x16x8x8xf32> {
  %w = acnn.constant dense<0.01> : tensor<1x2x7x7xf32>
  // CHECK: acnn.reduce_mean %{{.*}} {axes = array<i64: 1>}
  %m = acnn.reduce_mean %x {axes = array<i64: 1>} : (tensor<1x16x8x8xf32>) -> tensor<1x1x8x8xf32>
  %n = acnn.reduce_max %x {axes = array<i64: 1>} : (tensor<1x16x8x8xf32>) -> tensor<1x1x8x8xf32>
  // CHECK: acnn.concat %{{.*}}, %{{.*}} {axis = 1 : i64}
  %c = acnn.concat %m, %n {axis = 1 : i64} : (tensor<1x1x8x8xf32>, tensor<1x1x8x8xf32>) -> tensor<1x2x8x8xf32>
  %a = acnn.conv2d %c, %w {pads = array<i64: 3, 3, 3, 3>} : (tensor<1x2x8x8xf32>, tensor<1x2x7x7xf32>) -> tensor<1x1x8x8xf32>
  %s = acnn.sigmoid %a : tensor<1x1x8x8xf32>
  %y = acnn.mul %x, %s : (tensor<1x16x8x8xf32>, tensor<1x1x8x8xf32>) -> tensor<1x16x8x8xf32>
  return %y : tensor<1x16x8x8xf32>
}

// CHECK-LABEL: func @attention
func.func @attention(%x: tensor<1x65x32xf32>) -> tensor<1x65x32xf32> {
  %wqkv = acnn.constant dense<0.1> : tensor<96x32xf32>
  %g = acnn.constant dense<1.0> : tensor<32xf32>
  %scale = acnn.constant dense<0.35> : tensor<f32>
  // CHECK: acnn.layer_norm %{{.*}}, %{{.*}} {epsilon = 9.99999997E-7 : f32}
  %n = acnn.layer_norm %x, %g {epsilon = 1.0e-6 : f32} : (tensor<1x65x32xf32>, tensor<32xf32>) -> tensor<1x65x32xf32>
  %qkv = acnn.linear %n, %wqkv : (tensor<1x65x32xf32>, tensor<96x32xf32>) -> tensor<1x65x96xf32>
  %r = acnn.reshape %qkv : (tensor<1x65x96xf32>) -> tensor<1x65x3x4x8xf32>
  // CHECK: acnn.transpose %{{.*}} {perm = array<i64: 2, 0, 3, 1, 4>}
  %t = acnn.transpose %r {perm = array<i64: 2, 0, 3, 1, 4>} : (tensor<1x65x3x4x8xf32>) -> tensor<3x1x4x65x8xf32>
  // CHECK: acnn.gather %{{.*}} {axis = 0 : i64, indices = dense<0> : tensor<i64>}
  %q = acnn.gather %t {indices = dense<0> : tensor<i64>, axis = 0 : i64} : (tensor<3x1x4x65x8xf32>) -> tensor<1x4x65x8xf32>
  %k = acnn.gather %t {indices = dense<1> : tensor<i64>, axis = 0 : i64} : (tensor<3x1x4x65x8xf32>) -> tensor<1x4x65x8xf32>
  %v = acnn.gather %t {indices = dense<2> : tensor<i64>, axis = 0 : i64} : (tensor<3x1x4x65x8xf32>) -> tensor<1x4x65x8xf32>
  %kt = acnn.transpose %k {perm = array<i64: 0, 1, 3, 2>} : (tensor<1x4x65x8xf32>) -> tensor<1x4x8x65xf32>
  // CHECK: acnn.matmul %{{.*}}, %{{.*}} : (tensor<1x4x65x8xf32>, tensor<1x4x8x65xf32>) -> tensor<1x4x65x65xf32>
  %s = acnn.matmul %q, %kt : (tensor<1x4x65x8xf32>, tensor<1x4x8x65xf32>) -> tensor<1x4x65x65xf32>
  %ss = acnn.mul %s, %scale : (tensor<1x4x65x65xf32>, tensor<f32>) -> tensor<1x4x65x65xf32>
  // CHECK: acnn.softmax %{{.*}} : tensor<1x4x65x65xf32>
  %p = acnn.softmax %ss : tensor<1x4x65x65xf32>
  %o = acnn.matmul %p, %v : (tensor<1x4x65x65xf32>, tensor<1x4x65x8xf32>) -> tensor<1x4x65x8xf32>
  %ot = acnn.transpose %o {perm = array<i64: 0, 2, 1, 3>} : (tensor<1x4x65x8xf32>) -> tensor<1x65x4x8xf32>
  %y = acnn.reshape %ot : (tensor<1x65x4x8xf32>) -> tensor<1x65x32xf32>
  %e = acnn.gelu %y {approximate_tanh = true} : tensor<1x65x32xf32>
  return %e : tensor<1x65x32xf32>
}

// CHECK-LABEL: func @movement
func.func @movement(%x: tensor<1x16x9x9xf32>) -> (tensor<1x8x5x5xf32>, tensor<1x8x9x3xf32>) {
  // CHECK: acnn.max_pool2d %{{.*}} {ceil_mode = true, kernel = array<i64: 3, 3>, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>}
  %m = acnn.max_pool2d %x {kernel = array<i64: 3, 3>, strides = array<i64: 2, 2>, pads = array<i64: 1, 1, 1, 1>, ceil_mode = true} : (tensor<1x16x9x9xf32>) -> tensor<1x16x5x5xf32>
  %a = acnn.avg_pool2d %m {kernel = array<i64: 3, 3>, pads = array<i64: 1, 1, 1, 1>, count_include_pad = true} : (tensor<1x16x5x5xf32>) -> tensor<1x16x5x5xf32>
  // CHECK: acnn.split %{{.*}} {axis = 1 : i64, sizes = array<i64: 8, 8>}
  %s:2 = acnn.split %a {axis = 1 : i64, sizes = array<i64: 8, 8>} : (tensor<1x16x5x5xf32>) -> (tensor<1x8x5x5xf32>, tensor<1x8x5x5xf32>)
  %c = acnn.clip %s#0 {min = 0.0 : f32, max = 6.0 : f32} : tensor<1x8x5x5xf32>
  // CHECK: acnn.slice %{{.*}} {ends = array<i64: 1, 8, 9, -1>, starts = array<i64: 0, 0, 0, 8>, steps = array<i64: 1, 1, 1, -3>}
  %l = acnn.slice %x {starts = array<i64: 0, 0, 0, 8>, ends = array<i64: 1, 8, 9, -1>, steps = array<i64: 1, 1, 1, -3>} : (tensor<1x16x9x9xf32>) -> tensor<1x8x9x3xf32>
  return %c, %l : tensor<1x8x5x5xf32>, tensor<1x8x9x3xf32>
}

// CHECK-LABEL: func @broadcast_select_pad
func.func @broadcast_select_pad(%x: tensor<1x4x1xf32>, %y: tensor<3xf32>) -> tensor<1x6x5xf32> {
  %mask = acnn.constant dense<[1.0, 0.0, 1.0]> : tensor<3xf32>
  // CHECK: acnn.expand %{{.*}} {shape = array<i64: 2, 4, 3>} : (tensor<1x4x1xf32>) -> tensor<2x4x3xf32>
  %e = acnn.expand %x {shape = array<i64: 2, 4, 3>} : (tensor<1x4x1xf32>) -> tensor<2x4x3xf32>
  // CHECK: acnn.where %{{.*}}, %{{.*}}, %{{.*}} : (tensor<3xf32>, tensor<2x4x3xf32>, tensor<3xf32>) -> tensor<2x4x3xf32>
  %w = acnn.where %mask, %e, %y : (tensor<3xf32>, tensor<2x4x3xf32>, tensor<3xf32>) -> tensor<2x4x3xf32>
  %s = acnn.slice %w {starts = array<i64: 0, 0, 0>, ends = array<i64: 1, 4, 3>, steps = array<i64: 1, 1, 1>} : (tensor<2x4x3xf32>) -> tensor<1x4x3xf32>
  // CHECK: acnn.pad %{{.*}} {pads = array<i64: 0, 1, 2, 0, 1, 0>, value = -1.000000e+00 : f32} : (tensor<1x4x3xf32>) -> tensor<1x6x5xf32>
  %p = acnn.pad %s {pads = array<i64: 0, 1, 2, 0, 1, 0>, value = -1.0 : f32} : (tensor<1x4x3xf32>) -> tensor<1x6x5xf32>
  return %p : tensor<1x6x5xf32>
}

// A segmentation head's class map: i64 indices, or f32 ones.
// CHECK-LABEL: func @argmax
// CHECK: acnn.argmax %{{.*}} {axis = 1 : i64} : (tensor<1x21x8x8xf32>) -> tensor<1x1x8x8xi64>
// CHECK: acnn.argmax %{{.*}} {axis = 1 : i64, keepdims = false, select_last_index = true} : (tensor<1x21x8x8xf32>) -> tensor<1x8x8xf32>
func.func @argmax(%x: tensor<1x21x8x8xf32>) -> (tensor<1x1x8x8xi64>, tensor<1x8x8xf32>) {
  %i = acnn.argmax %x {axis = 1 : i64} : (tensor<1x21x8x8xf32>) -> tensor<1x1x8x8xi64>
  %f = acnn.argmax %x {axis = 1 : i64, keepdims = false, select_last_index = true} : (tensor<1x21x8x8xf32>) -> tensor<1x8x8xf32>
  return %i, %f : tensor<1x1x8x8xi64>, tensor<1x8x8xf32>
}
