// RUN: acnn-opt %s -split-input-file -pass-pipeline="builtin.module(func.func(acnn-block-constants))" | FileCheck %s

// Two-column reads at even columns of a 2 x 4 constant: stored as two blocks
// of 2 x 2 ([block, row, column]: 0 1 4 5 | 2 3 6 7), read at block i / 2,
// column 0.
// CHECK-LABEL: func.func @loop
// CHECK: %[[C:.*]] = arith.constant dense_resource<acnn_blocked> : tensor<2x2x2xf32>
// CHECK: scf.for %[[I:.*]] = %c0 to %c4 step %c2
// CHECK: %[[B:.*]] = affine.apply #{{.*}}(%[[I]])
// CHECK: vector.transfer_read %[[C]][%[[B]], %c0, %c0{{.*}}], %{{.*}} {in_bounds = [true, true]} : tensor<2x2x2xf32>, vector<2x2xf32>
// CHECK: acnn_blocked: "0x04000000000000000000803F000080400000A04000000040000040400000C0400000E040"
func.func @loop(%acc: vector<2x2xf32>) -> vector<2x2xf32> {
  %w = arith.constant dense<[[0.0, 1.0, 2.0, 3.0], [4.0, 5.0, 6.0, 7.0]]> : tensor<2x4xf32>
  %c0 = arith.constant 0 : index
  %c2 = arith.constant 2 : index
  %c4 = arith.constant 4 : index
  %pad = arith.constant 0.0 : f32
  %r = scf.for %i = %c0 to %c4 step %c2 iter_args(%a = %acc) -> vector<2x2xf32> {
    %v = vector.transfer_read %w[%c0, %i], %pad {in_bounds = [true, true]} : tensor<2x4xf32>, vector<2x2xf32>
    %s = arith.addf %a, %v : vector<2x2xf32>
    scf.yield %s : vector<2x2xf32>
  }
  return %r : vector<2x2xf32>
}

// -----

// A forall's tile offset (i * 16): the block index is the iteration itself,
// the other indices stay.
// CHECK-LABEL: func.func @forall
// CHECK: %[[C:.*]] = arith.constant dense_resource<acnn_blocked> : tensor<2x1x2x16xf32>
// CHECK: scf.forall (%[[I:.*]]) in (2)
// CHECK: vector.transfer_read %[[C]][%[[I]], %c0, %c1, %c0{{.*}}], {{.*}} : tensor<2x1x2x16xf32>, vector<16xf32>
func.func @forall(%out: tensor<2x16xf32>) -> tensor<2x16xf32> {
  %w = arith.constant dense<[[[0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0, 11.0, 12.0, 13.0, 14.0, 15.0, 16.0, 17.0, 18.0, 19.0, 20.0, 21.0, 22.0, 23.0, 24.0, 25.0, 26.0, 27.0, 28.0, 29.0, 30.0, 31.0], [32.0, 33.0, 34.0, 35.0, 36.0, 37.0, 38.0, 39.0, 40.0, 41.0, 42.0, 43.0, 44.0, 45.0, 46.0, 47.0, 48.0, 49.0, 50.0, 51.0, 52.0, 53.0, 54.0, 55.0, 56.0, 57.0, 58.0, 59.0, 60.0, 61.0, 62.0, 63.0]]]> : tensor<1x2x32xf32>
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %pad = arith.constant 0.0 : f32
  %r = scf.forall (%i) in (2) shared_outs(%o = %out) -> tensor<2x16xf32> {
    %col = affine.apply affine_map<(d0) -> (d0 * 16)>(%i)
    %v = vector.transfer_read %w[%c0, %c1, %col], %pad {in_bounds = [true]} : tensor<1x2x32xf32>, vector<16xf32>
    %row = tensor.empty() : tensor<1x16xf32>
    %t = vector.transfer_write %v, %row[%c0, %c0] {in_bounds = [true]} : vector<16xf32>, tensor<1x16xf32>
    scf.forall.in_parallel {
      tensor.parallel_insert_slice %t into %o[%i, 0] [1, 16] [1, 1] : tensor<1x16xf32> into tensor<2x16xf32>
    }
  }
  return %r : tensor<2x16xf32>
}

// -----

// A matmul's main rows read 16 columns a step, its remainder rows 32: blocks
// of 16, the 32-wide read one read from each of its two blocks (columns 32
// to 63: blocks 2 and 3), side by side.
// CHECK-LABEL: func.func @widths
// CHECK: %[[C:.*]] = arith.constant dense_resource<acnn_blocked> : tensor<4x2x16xf32>
// CHECK: vector.transfer_read %[[C]][%c1{{(_[0-9]+)?}}, %c1, %c0{{(_[0-9]+)?}}]{{.*}} : tensor<4x2x16xf32>, vector<16xf32>
// CHECK: %[[LO:.*]] = vector.transfer_read %[[C]][%c2, %c1, %c0{{(_[0-9]+)?}}]{{.*}} : tensor<4x2x16xf32>, vector<16xf32>
// CHECK: %[[A:.*]] = vector.insert_strided_slice %[[LO]], %{{.*}} {offsets = [0], strides = [1]} : vector<16xf32> into vector<32xf32>
// CHECK: %[[HI:.*]] = vector.transfer_read %[[C]][%c3, %c1, %c0{{(_[0-9]+)?}}]{{.*}} : tensor<4x2x16xf32>, vector<16xf32>
// CHECK: vector.insert_strided_slice %[[HI]], %[[A]] {offsets = [16], strides = [1]} : vector<16xf32> into vector<32xf32>
func.func @widths() -> (vector<16xf32>, vector<32xf32>) {
  %w = arith.constant dense<[[0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0, 11.0, 12.0, 13.0, 14.0, 15.0, 16.0, 17.0, 18.0, 19.0, 20.0, 21.0, 22.0, 23.0, 24.0, 25.0, 26.0, 27.0, 28.0, 29.0, 30.0, 31.0, 32.0, 33.0, 34.0, 35.0, 36.0, 37.0, 38.0, 39.0, 40.0, 41.0, 42.0, 43.0, 44.0, 45.0, 46.0, 47.0, 48.0, 49.0, 50.0, 51.0, 52.0, 53.0, 54.0, 55.0, 56.0, 57.0, 58.0, 59.0, 60.0, 61.0, 62.0, 63.0], [64.0, 65.0, 66.0, 67.0, 68.0, 69.0, 70.0, 71.0, 72.0, 73.0, 74.0, 75.0, 76.0, 77.0, 78.0, 79.0, 80.0, 81.0, 82.0, 83.0, 84.0, 85.0, 86.0, 87.0, 88.0, 89.0, 90.0, 91.0, 92.0, 93.0, 94.0, 95.0, 96.0, 97.0, 98.0, 99.0, 100.0, 101.0, 102.0, 103.0, 104.0, 105.0, 106.0, 107.0, 108.0, 109.0, 110.0, 111.0, 112.0, 113.0, 114.0, 115.0, 116.0, 117.0, 118.0, 119.0, 120.0, 121.0, 122.0, 123.0, 124.0, 125.0, 126.0, 127.0]]> : tensor<2x64xf32>
  %c1 = arith.constant 1 : index
  %c16 = arith.constant 16 : index
  %c32 = arith.constant 32 : index
  %pad = arith.constant 0.0 : f32
  %v16 = vector.transfer_read %w[%c1, %c16], %pad {in_bounds = [true]} : tensor<2x64xf32>, vector<16xf32>
  %v32 = vector.transfer_read %w[%c1, %c32], %pad {in_bounds = [true]} : tensor<2x64xf32>, vector<32xf32>
  return %v16, %v32 : vector<16xf32>, vector<32xf32>
}

// -----

// A register tile's remainder columns, narrower than a vector (8 lanes):
// 16 columns a step and 4 more at column 16. Blocks of 16, the 4 read from
// block 1 at its column 0; that last block is partial (columns 16 to 19,
// the rest zeros).
// CHECK-LABEL: func.func @remainder
// CHECK: %[[C:.*]] = arith.constant dense_resource<acnn_blocked> : tensor<2x2x16xf32>
// CHECK: vector.transfer_read %[[C]][%c0{{(_[0-9]+)?}}, %c1, %c0{{(_[0-9]+)?}}]{{.*}} : tensor<2x2x16xf32>, vector<16xf32>
// CHECK: vector.transfer_read %[[C]][%c1{{(_[0-9]+)?}}, %c1, %c0{{(_[0-9]+)?}}]{{.*}} : tensor<2x2x16xf32>, vector<4xf32>
// CHECK: acnn_blocked: "0x04000000000000000000803F0000004000004040000080400000A0400000C0400000E04000000041000010410000204100003041000040410000504100006041000070410000A0410000A8410000B0410000B8410000C0410000C8410000D0410000D8410000E0410000E8410000F0410000F84100000042000004420000084200000C420000804100008841000090410000984100000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000001042000014420000184200001C42000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
func.func @remainder() -> (vector<16xf32>, vector<4xf32>) {
  %w = arith.constant dense<[[0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0, 11.0, 12.0, 13.0, 14.0, 15.0, 16.0, 17.0, 18.0, 19.0], [20.0, 21.0, 22.0, 23.0, 24.0, 25.0, 26.0, 27.0, 28.0, 29.0, 30.0, 31.0, 32.0, 33.0, 34.0, 35.0, 36.0, 37.0, 38.0, 39.0]]> : tensor<2x20xf32>
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c16 = arith.constant 16 : index
  %pad = arith.constant 0.0 : f32
  %v16 = vector.transfer_read %w[%c1, %c0], %pad {in_bounds = [true]} : tensor<2x20xf32>, vector<16xf32>
  %v4 = vector.transfer_read %w[%c1, %c16], %pad {in_bounds = [true]} : tensor<2x20xf32>, vector<4xf32>
  return %v16, %v4 : vector<16xf32>, vector<4xf32>
}

// -----

// Not provably aligned (a column from outside), a read narrower than the
// block (16) that would span two blocks (6 columns from column 12), a
// reader that is no transfer_read, or a vector whose last dim walks another
// axis (a transposed read): the constants stay as they are.
// CHECK-LABEL: func.func @unchanged
// CHECK-NOT: acnn_blocked
// CHECK: arith.constant dense_resource<a> : tensor<2x64xf32>
// CHECK: arith.constant dense_resource<b> : tensor<2x64xf32>
// CHECK: arith.constant dense_resource<c> : tensor<2x64xf32>
// CHECK: arith.constant dense_resource<d> : tensor<2x64xf32>
func.func @unchanged(%col: index) -> (vector<16xf32>, vector<16xf32>, vector<6xf32>, tensor<2x16xf32>, vector<16x2xf32>) {
  %a = arith.constant dense_resource<a> : tensor<2x64xf32>
  %b = arith.constant dense_resource<b> : tensor<2x64xf32>
  %c = arith.constant dense_resource<c> : tensor<2x64xf32>
  %d = arith.constant dense_resource<d> : tensor<2x64xf32>
  %c0 = arith.constant 0 : index
  %c12 = arith.constant 12 : index
  %c16 = arith.constant 16 : index
  %pad = arith.constant 0.0 : f32
  %va = vector.transfer_read %a[%c0, %col], %pad {in_bounds = [true]} : tensor<2x64xf32>, vector<16xf32>
  %vb16 = vector.transfer_read %b[%c0, %c16], %pad {in_bounds = [true]} : tensor<2x64xf32>, vector<16xf32>
  %vb6 = vector.transfer_read %b[%c0, %c12], %pad {in_bounds = [true]} : tensor<2x64xf32>, vector<6xf32>
  %sc = tensor.extract_slice %c[0, 0] [2, 16] [1, 1] : tensor<2x64xf32> to tensor<2x16xf32>
  %vd = vector.transfer_read %d[%c0, %c16], %pad {in_bounds = [true, true], permutation_map = affine_map<(d0, d1) -> (d1, d0)>} : tensor<2x64xf32>, vector<16x2xf32>
  return %va, %vb16, %vb6, %sc, %vd : vector<16xf32>, vector<16xf32>, vector<6xf32>, tensor<2x16xf32>, vector<16x2xf32>
}

{-#
  dialect_resources: {
    builtin: {
      a: "0x04000000",
      b: "0x04000000",
      c: "0x04000000",
      d: "0x04000000"
    }
  }
#-}
