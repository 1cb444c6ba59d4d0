// RUN: acnn-opt %s -canonicalize | FileCheck %s

// Folders: a transpose of a transpose is one transpose, the identity
// permutation and a reshape to the same shape are their inputs, a reshape of
// a reshape is one reshape.
// CHECK-LABEL: func @fold_movement
// CHECK-NEXT: %[[T:.*]] = acnn.transpose %arg0 {perm = array<i64: 0, 2, 1, 3>} : (tensor<1x67x2x16xf32>) -> tensor<1x2x67x16xf32>
// CHECK-NEXT: %[[R:.*]] = acnn.reshape %arg1 : (tensor<2x3x4xf32>) -> tensor<4x6xf32>
// CHECK-NEXT: return %[[T]], %arg0, %[[R]], %arg1
func.func @fold_movement(%x: tensor<1x67x2x16xf32>, %y: tensor<2x3x4xf32>) -> (tensor<1x2x67x16xf32>, tensor<1x67x2x16xf32>, tensor<4x6xf32>, tensor<2x3x4xf32>) {
  %a = acnn.transpose %x {perm = array<i64: 0, 2, 3, 1>} : (tensor<1x67x2x16xf32>) -> tensor<1x2x16x67xf32>
  %b = acnn.transpose %a {perm = array<i64: 0, 1, 3, 2>} : (tensor<1x2x16x67xf32>) -> tensor<1x2x67x16xf32>
  %c = acnn.transpose %x {perm = array<i64: 0, 1, 2, 3>} : (tensor<1x67x2x16xf32>) -> tensor<1x67x2x16xf32>
  %d = acnn.reshape %y : (tensor<2x3x4xf32>) -> tensor<6x4xf32>
  %e = acnn.reshape %d : (tensor<6x4xf32>) -> tensor<4x6xf32>
  %f = acnn.reshape %y : (tensor<2x3x4xf32>) -> tensor<2x3x4xf32>
  return %b, %c, %e, %f : tensor<1x2x67x16xf32>, tensor<1x67x2x16xf32>, tensor<4x6xf32>, tensor<2x3x4xf32>
}

// Identities: adding or subtracting zeros and multiplying or dividing by
// ones is the other operand, on either side of add and mul, where the
// result has that operand's type. Zeros that broadcast the operand, zeros
// minus x, x / 1 with a non-splat or other constant stay.
// CHECK-LABEL: func @fold_identities
// CHECK-NOT: acnn.add %arg0
// CHECK-NOT: acnn.mul %arg0
// CHECK: %[[BCAST:.*]] = acnn.add %arg1, %{{.*}} : (tensor<1x5x1xf32>, tensor<1x5x8xf32>)
// CHECK: %[[NEG:.*]] = acnn.sub %{{.*}}, %arg0
// CHECK: %[[TWO:.*]] = acnn.mul %arg0, %{{.*}} : (tensor<1x5x8xf32>, tensor<8xf32>)
// CHECK: return %arg0, %arg0, %arg0, %arg0, %arg0, %[[BCAST]], %[[NEG]], %[[TWO]]
func.func @fold_identities(%x: tensor<1x5x8xf32>, %y: tensor<1x5x1xf32>) -> (tensor<1x5x8xf32>, tensor<1x5x8xf32>, tensor<1x5x8xf32>, tensor<1x5x8xf32>, tensor<1x5x8xf32>, tensor<1x5x8xf32>, tensor<1x5x8xf32>, tensor<1x5x8xf32>) {
  %zeros = acnn.constant dense<0.0> : tensor<8xf32>
  %ones = acnn.constant dense<1.0> : tensor<5x1xf32>
  %zmap = acnn.constant dense<0.0> : tensor<1x5x8xf32>
  %twos = acnn.constant dense<2.0> : tensor<8xf32>
  %a = acnn.add %x, %zeros : (tensor<1x5x8xf32>, tensor<8xf32>) -> tensor<1x5x8xf32>
  %b = acnn.add %zeros, %x : (tensor<8xf32>, tensor<1x5x8xf32>) -> tensor<1x5x8xf32>
  %c = acnn.mul %ones, %x : (tensor<5x1xf32>, tensor<1x5x8xf32>) -> tensor<1x5x8xf32>
  %d = acnn.sub %x, %zeros : (tensor<1x5x8xf32>, tensor<8xf32>) -> tensor<1x5x8xf32>
  %e = acnn.div %x, %ones : (tensor<1x5x8xf32>, tensor<5x1xf32>) -> tensor<1x5x8xf32>
  %f = acnn.add %y, %zmap : (tensor<1x5x1xf32>, tensor<1x5x8xf32>) -> tensor<1x5x8xf32>
  %g = acnn.sub %zeros, %x : (tensor<8xf32>, tensor<1x5x8xf32>) -> tensor<1x5x8xf32>
  %h = acnn.mul %x, %twos : (tensor<1x5x8xf32>, tensor<8xf32>) -> tensor<1x5x8xf32>
  return %a, %b, %c, %d, %e, %f, %g, %h : tensor<1x5x8xf32>, tensor<1x5x8xf32>, tensor<1x5x8xf32>, tensor<1x5x8xf32>, tensor<1x5x8xf32>, tensor<1x5x8xf32>, tensor<1x5x8xf32>, tensor<1x5x8xf32>
}
