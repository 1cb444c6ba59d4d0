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
