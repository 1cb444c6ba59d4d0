// RUN: acnn-opt %s -split-input-file -acnn-widen-partial-writes | FileCheck %s
// RUN: acnn-opt %s -split-input-file -acnn-widen-partial-writes -one-shot-bufferize="bufferize-function-boundaries" | FileCheck %s --check-prefix=BUF

// A 32-lane write into 34 floats, out of place (%t is returned too): widened
// to the tensor's rank, so bufferisation copies %t into the new buffer before
// the write, and the read of [32, 34) sees %t's values, not uninitialised ones.
// CHECK-LABEL: func @partial_out_of_place
// CHECK: %[[W:.*]] = vector.shape_cast %{{.*}} : vector<32xf32> to vector<1x32xf32>
// CHECK: vector.transfer_write %[[W]], %{{.*}}[%{{.*}}, %{{.*}}] {in_bounds = [true, true]} : vector<1x32xf32>, tensor<1x34xf32>
// CHECK: vector.transfer_write %{{.*}} : vector<2xf32>, tensor<1x34xf32>
// BUF-LABEL: func @partial_out_of_place
// BUF: %[[NEW:.*]] = memref.alloc() {{.*}} : memref<1x34xf32>
// BUF-NEXT: memref.copy %arg0, %[[NEW]]
// BUF: vector.transfer_write %{{.*}}, %[[NEW]]
func.func @partial_out_of_place(%t: tensor<1x34xf32>, %v: vector<32xf32>) -> (tensor<1x34xf32>, tensor<1x34xf32>) {
  %c0 = arith.constant 0 : index
  %c32 = arith.constant 32 : index
  %cst = arith.constant 0.0 : f32
  %u = vector.transfer_write %v, %t[%c0, %c0] {in_bounds = [true]} : vector<32xf32>, tensor<1x34xf32>
  %r = vector.transfer_read %u[%c0, %c32], %cst {in_bounds = [true]} : tensor<1x34xf32>, vector<2xf32>
  %w = arith.addf %r, %r : vector<2xf32>
  %u2 = vector.transfer_write %w, %u[%c0, %c32] {in_bounds = [true]} : vector<2xf32>, tensor<1x34xf32>
  return %u2, %t : tensor<1x34xf32>, tensor<1x34xf32>
}

// -----

// Left alone: a write that covers its tensor, one of the tensor's rank, and
// one at a non-zero index (bufferisation already takes the last two for reads).
// CHECK-LABEL: func @left_alone
// CHECK-NOT: vector.shape_cast
// CHECK: vector.transfer_write %{{.*}} : vector<34xf32>, tensor<1x34xf32>
// CHECK: vector.transfer_write %{{.*}} : vector<1x32xf32>, tensor<1x34xf32>
// CHECK: vector.transfer_write %{{.*}} : vector<2xf32>, tensor<1x34xf32>
func.func @left_alone(%t: tensor<1x34xf32>, %full: vector<34xf32>, %row: vector<1x32xf32>, %tail: vector<2xf32>) -> (tensor<1x34xf32>, tensor<1x34xf32>, tensor<1x34xf32>) {
  %c0 = arith.constant 0 : index
  %c32 = arith.constant 32 : index
  %a = vector.transfer_write %full, %t[%c0, %c0] {in_bounds = [true]} : vector<34xf32>, tensor<1x34xf32>
  %b = vector.transfer_write %row, %t[%c0, %c0] {in_bounds = [true, true]} : vector<1x32xf32>, tensor<1x34xf32>
  %c = vector.transfer_write %tail, %t[%c0, %c32] {in_bounds = [true]} : vector<2xf32>, tensor<1x34xf32>
  return %a, %b, %c : tensor<1x34xf32>, tensor<1x34xf32>, tensor<1x34xf32>
}
