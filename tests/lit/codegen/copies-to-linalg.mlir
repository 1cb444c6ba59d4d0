// RUN: acnn-opt %s -split-input-file -pass-pipeline="builtin.module(func.func(acnn-copies-to-linalg))" | FileCheck %s

// Copies between contiguous memrefs stay memref.copy (a memcpy once
// lowered): identity layouts, a dynamic shape with the identity layout, a
// block of whole rows of a subview (static strides and shape, any offset,
// even a dynamic one), and leading unit dimensions whatever their stride.
// CHECK-LABEL: func.func @contiguous
// CHECK-SAME: (%[[A:[^:]*]]: memref<4x8xf32>, %[[B:[^:]*]]: memref<4x8xf32>, %[[D:[^:]*]]: memref<?xf32>, %[[E:[^:]*]]: memref<?xf32>, %[[BIG:[^:]*]]: memref<8x8xf32>, %[[T:[^:]*]]: memref<2x8xf32>, %[[O:[^:]*]]: index)
// CHECK-NEXT: memref.copy %[[A]], %[[B]] : memref<4x8xf32> to memref<4x8xf32>
// CHECK-NEXT: memref.copy %[[D]], %[[E]] : memref<?xf32> to memref<?xf32>
// CHECK-NEXT: %[[ROWS:.*]] = memref.subview %[[BIG]][4, 0] [4, 8] [1, 1]
// CHECK-NEXT: memref.copy %[[A]], %[[ROWS]] : memref<4x8xf32> to memref<4x8xf32, strided<[8, 1], offset: 32>>
// CHECK-NEXT: %[[DYN:.*]] = memref.subview %[[BIG]][%[[O]], 0] [2, 8] [1, 1]
// CHECK-NEXT: memref.copy %[[DYN]], %[[T]] : memref<2x8xf32, strided<[8, 1], offset: ?>> to memref<2x8xf32>
// CHECK-NEXT: %[[ROW:.*]] = memref.subview %[[BIG]][%[[O]], 2] [1, 4] [1, 1]
// CHECK-NEXT: %[[R:.*]] = memref.alloc() : memref<1x4xf32>
// CHECK-NEXT: memref.copy %[[ROW]], %[[R]] : memref<1x4xf32, strided<[8, 1], offset: ?>> to memref<1x4xf32>
// CHECK-NOT: linalg.copy
func.func @contiguous(%a: memref<4x8xf32>, %b: memref<4x8xf32>, %d: memref<?xf32>, %e: memref<?xf32>,
                      %big: memref<8x8xf32>, %t: memref<2x8xf32>, %o: index) {
  memref.copy %a, %b : memref<4x8xf32> to memref<4x8xf32>
  memref.copy %d, %e : memref<?xf32> to memref<?xf32>
  %rows = memref.subview %big[4, 0] [4, 8] [1, 1] : memref<8x8xf32> to memref<4x8xf32, strided<[8, 1], offset: 32>>
  memref.copy %a, %rows : memref<4x8xf32> to memref<4x8xf32, strided<[8, 1], offset: 32>>
  %dyn = memref.subview %big[%o, 0] [2, 8] [1, 1] : memref<8x8xf32> to memref<2x8xf32, strided<[8, 1], offset: ?>>
  memref.copy %dyn, %t : memref<2x8xf32, strided<[8, 1], offset: ?>> to memref<2x8xf32>
  %row = memref.subview %big[%o, 2] [1, 4] [1, 1] : memref<8x8xf32> to memref<1x4xf32, strided<[8, 1], offset: ?>>
  %r = memref.alloc() : memref<1x4xf32>
  memref.copy %row, %r : memref<1x4xf32, strided<[8, 1], offset: ?>> to memref<1x4xf32>
  return
}

// -----

// A copy into part of each row (concat along the last axis, writing a pad's
// interior) or out of one (a slice), or with a non-unit innermost stride,
// becomes linalg.copy, same operands, so it lowers to loops rather than a
// call to MLIR's memrefCopy runtime helper.
// CHECK-LABEL: func.func @strided
// CHECK-SAME: (%[[A:[^:]*]]: memref<4x4xf32>, %[[CAT:[^:]*]]: memref<4x8xf32>, %[[PAD:[^:]*]]: memref<6x6xf32>, %[[V:[^:]*]]: memref<8xf32>, %[[H:[^:]*]]: memref<4xf32>)
// CHECK-NEXT: %[[RIGHT:.*]] = memref.subview %[[CAT]][0, 4] [4, 4] [1, 1]
// CHECK-NEXT: linalg.copy ins(%[[A]] : memref<4x4xf32>) outs(%[[RIGHT]] : memref<4x4xf32, strided<[8, 1], offset: 4>>)
// CHECK-NEXT: %[[IN:.*]] = memref.subview %[[PAD]][1, 1] [4, 4] [1, 1]
// CHECK-NEXT: linalg.copy ins(%[[A]] : memref<4x4xf32>) outs(%[[IN]] : memref<4x4xf32, strided<[6, 1], offset: 7>>)
// CHECK-NEXT: linalg.copy ins(%[[IN]] : memref<4x4xf32, strided<[6, 1], offset: 7>>) outs(%[[A]] : memref<4x4xf32>)
// CHECK-NEXT: %[[EVEN:.*]] = memref.subview %[[V]][0] [4] [2]
// CHECK-NEXT: linalg.copy ins(%[[EVEN]] : memref<4xf32, strided<[2]>>) outs(%[[H]] : memref<4xf32>)
// CHECK-NEXT: return
// CHECK-NOT: memref.copy
func.func @strided(%a: memref<4x4xf32>, %cat: memref<4x8xf32>, %pad: memref<6x6xf32>, %v: memref<8xf32>, %h: memref<4xf32>) {
  %right = memref.subview %cat[0, 4] [4, 4] [1, 1] : memref<4x8xf32> to memref<4x4xf32, strided<[8, 1], offset: 4>>
  memref.copy %a, %right : memref<4x4xf32> to memref<4x4xf32, strided<[8, 1], offset: 4>>
  %in = memref.subview %pad[1, 1] [4, 4] [1, 1] : memref<6x6xf32> to memref<4x4xf32, strided<[6, 1], offset: 7>>
  memref.copy %a, %in : memref<4x4xf32> to memref<4x4xf32, strided<[6, 1], offset: 7>>
  memref.copy %in, %a : memref<4x4xf32, strided<[6, 1], offset: 7>> to memref<4x4xf32>
  %even = memref.subview %v[0] [4] [2] : memref<8xf32> to memref<4xf32, strided<[2]>>
  memref.copy %even, %h : memref<4xf32, strided<[2]>> to memref<4xf32>
  return
}

// -----

// Contiguity is only proven for static shapes: a dynamically sized view,
// even a contiguous one, becomes linalg.copy. Copies nested in loops are
// rewritten too, and the ones around them left alone.
// CHECK-LABEL: func.func @dynamic_and_nested
// CHECK: %[[S:.*]] = memref.subview %{{.*}}[%{{.*}}] [%{{.*}}] [1] : memref<?xf32> to memref<?xf32, strided<[1], offset: ?>>
// CHECK-NEXT: linalg.copy ins(%[[S]] : memref<?xf32, strided<[1], offset: ?>>) outs(%{{.*}} : memref<?xf32>)
// CHECK: scf.for
// CHECK-NEXT: %[[COL:.*]] = memref.subview
// CHECK-NEXT: linalg.copy ins(%[[COL]] : memref<4x1xf32, strided<[4, 1], offset: ?>>) outs(%{{.*}} : memref<4x1xf32>)
// CHECK-NEXT: }
// CHECK-NEXT: memref.copy %{{.*}}, %{{.*}} : memref<4x1xf32> to memref<4x1xf32>
// CHECK-NEXT: return
func.func @dynamic_and_nested(%x: memref<?xf32>, %y: memref<?xf32>, %o: index, %n: index,
                              %m: memref<4x4xf32>, %c: memref<4x1xf32>, %d: memref<4x1xf32>) {
  %s = memref.subview %x[%o] [%n] [1] : memref<?xf32> to memref<?xf32, strided<[1], offset: ?>>
  memref.copy %s, %y : memref<?xf32, strided<[1], offset: ?>> to memref<?xf32>
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  scf.for %j = %c0 to %c4 step %c1 {
    %col = memref.subview %m[0, %j] [4, 1] [1, 1] : memref<4x4xf32> to memref<4x1xf32, strided<[4, 1], offset: ?>>
    memref.copy %col, %c : memref<4x1xf32, strided<[4, 1], offset: ?>> to memref<4x1xf32>
  }
  memref.copy %c, %d : memref<4x1xf32> to memref<4x1xf32>
  return
}
