// RUN: acnn-opt %s -split-input-file -pass-pipeline="builtin.module(func.func(acnn-sink-to-stores))" | FileCheck %s

// Unrolled element-wise code, op after op for both slices, is reordered
// slice by slice: each store's value is computed just before it.
// CHECK-LABEL: func.func @slices
// CHECK: %[[A:.*]] = vector.load %{{.*}}[%[[C0:.*]]]
// CHECK: %[[B:.*]] = vector.load %{{.*}}[%[[C16:.*]]]
// CHECK-NEXT: %[[NA:.*]] = arith.negf %[[A]]
// CHECK-NEXT: %[[EA:.*]] = math.exp %[[NA]]
// CHECK-NEXT: vector.store %[[EA]], %{{.*}}[%[[C0]]]
// CHECK-NEXT: %[[NB:.*]] = arith.negf %[[B]]
// CHECK-NEXT: %[[EB:.*]] = math.exp %[[NB]]
// CHECK-NEXT: vector.store %[[EB]], %{{.*}}[%[[C16]]]
func.func @slices(%in: memref<32xf32>, %out: memref<32xf32>) {
  %c0 = arith.constant 0 : index
  %c16 = arith.constant 16 : index
  %a = vector.load %in[%c0] : memref<32xf32>, vector<16xf32>
  %b = vector.load %in[%c16] : memref<32xf32>, vector<16xf32>
  %na = arith.negf %a : vector<16xf32>
  %nb = arith.negf %b : vector<16xf32>
  %ea = math.exp %na : vector<16xf32>
  %eb = math.exp %nb : vector<16xf32>
  vector.store %ea, %out[%c0] : memref<32xf32>, vector<16xf32>
  vector.store %eb, %out[%c16] : memref<32xf32>, vector<16xf32>
  return
}

// -----

// A value two stores need lands before the first; one a loop's body reads
// lands before the loop; a dead op is dropped.
// CHECK-LABEL: func.func @shared
// CHECK-NOT: arith.mulf
// CHECK: %[[S:.*]] = arith.addf
// CHECK-NOT: arith.subf
// CHECK: vector.store %[[S]]
// CHECK-NEXT: %[[T:.*]] = arith.subf %[[S]]
// CHECK-NEXT: vector.store %[[T]]
// CHECK: scf.for
// CHECK: vector.store %[[S]]
func.func @shared(%in: memref<16xf32>, %out: memref<16xf32>, %x: vector<16xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %dead = arith.mulf %x, %x : vector<16xf32>
  %s = arith.addf %x, %x : vector<16xf32>
  %t = arith.subf %s, %x : vector<16xf32>
  vector.store %s, %out[%c0] : memref<16xf32>, vector<16xf32>
  vector.store %t, %out[%c0] : memref<16xf32>, vector<16xf32>
  scf.for %i = %c0 to %c4 step %c1 {
    vector.store %s, %out[%c0] : memref<16xf32>, vector<16xf32>
  }
  return
}

// -----

// A block without a store (a reduction loop's body) keeps its order: the
// FMAs of two accumulators stay interleaved.
// CHECK-LABEL: func.func @reduction
// CHECK: scf.for
// CHECK-NEXT: %[[A1:.*]] = vector.fma %{{.*}}, %{{.*}}, %[[ACC0:.*]] :
// CHECK-NEXT: %[[B1:.*]] = vector.fma
// CHECK-NEXT: %[[A2:.*]] = vector.fma %{{.*}}, %{{.*}}, %[[A1]]
// CHECK-NEXT: %[[B2:.*]] = vector.fma %{{.*}}, %{{.*}}, %[[B1]]
func.func @reduction(%x: vector<16xf32>, %y: vector<16xf32>) -> (vector<16xf32>, vector<16xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %r:2 = scf.for %i = %c0 to %c4 step %c1 iter_args(%a = %x, %b = %y) -> (vector<16xf32>, vector<16xf32>) {
    %a1 = vector.fma %x, %y, %a : vector<16xf32>
    %b1 = vector.fma %y, %x, %b : vector<16xf32>
    %a2 = vector.fma %x, %x, %a1 : vector<16xf32>
    %b2 = vector.fma %y, %y, %b1 : vector<16xf32>
    scf.yield %a2, %b2 : vector<16xf32>, vector<16xf32>
  }
  return %r#0, %r#1 : vector<16xf32>, vector<16xf32>
}
