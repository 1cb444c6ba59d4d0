// RUN: acnn-opt %s -split-input-file -acnn-plan-memory | FileCheck %s

// The steps are the ops of @main's body; a buffer lives from its first use
// to its last, through any view of it: a [5, 7], b [7, 10], c [10, 11], and
// the packing buffer p, inside the loop, for the whole loop: [12, 12].
// Largest first: p (256 bytes) at 0; b (128) at 0 too, as p is not live
// with it; a (64) is live with b, so at 128; c (64) at 128, a's old slot.
// The arena, 256 bytes, comes last but for the context; the deallocations go.
// CHECK-LABEL: llvm.mlir.global external constant @acnn_m_meta("acnn-model 1\0Aname m\0Aarena 256\0A\00")
// CHECK-LABEL: func.func @main
// CHECK-SAME: (%[[IN:.*]]: memref<16xf32>, %[[OUT:.*]]: memref<16xf32>, %[[ARENA:.*]]: memref<256xi8> {acnn.arena}, %{{.*}}: !llvm.ptr {acnn.context})
// CHECK: %[[OA:.*]] = arith.constant 128 : index
// CHECK-NEXT: %[[A:.*]] = memref.view %[[ARENA]][%[[OA]]][] : memref<256xi8> to memref<16xf32>
// CHECK-NEXT: %[[OB:.*]] = arith.constant 0 : index
// CHECK-NEXT: %[[B:.*]] = memref.view %[[ARENA]][%[[OB]]][] : memref<256xi8> to memref<32xf32>
// CHECK-NEXT: memref.copy %[[IN]], %[[A]]
// CHECK: %[[OC:.*]] = arith.constant 128 : index
// CHECK-NEXT: %[[C:.*]] = memref.view %[[ARENA]][%[[OC]]][] : memref<256xi8> to memref<16xf32>
// CHECK: scf.for
// CHECK-NEXT: %[[OP:.*]] = arith.constant 0 : index
// CHECK-NEXT: %[[P:.*]] = memref.view %[[ARENA]][%[[OP]]][] : memref<256xi8> to memref<64xf32>
// CHECK-NOT: memref.alloc
// CHECK-NOT: memref.dealloc
// CHECK: return
module @m {
  llvm.mlir.global external constant @acnn_m_meta("acnn-model 1\0Aname m\0A\00") {addr_space = 0 : i32}
  func.func @main(%in: memref<16xf32>, %out: memref<16xf32>) {
    %c0 = arith.constant 0 : index
    %c1 = arith.constant 1 : index
    %c4 = arith.constant 4 : index
    %a = memref.alloc() {alignment = 64 : i64} : memref<16xf32>
    %b = memref.alloc() {alignment = 64 : i64} : memref<32xf32>
    memref.copy %in, %a : memref<16xf32> to memref<16xf32>
    %bl = memref.subview %b[0] [16] [1] : memref<32xf32> to memref<16xf32, strided<[1]>>
    memref.copy %a, %bl : memref<16xf32> to memref<16xf32, strided<[1]>>
    %c = memref.alloc() {alignment = 64 : i64} : memref<16xf32>
    %bh = memref.subview %b[16] [16] [1] : memref<32xf32> to memref<16xf32, strided<[1], offset: 16>>
    memref.copy %bh, %c : memref<16xf32, strided<[1], offset: 16>> to memref<16xf32>
    memref.copy %c, %out : memref<16xf32> to memref<16xf32>
    scf.for %i = %c0 to %c4 step %c1 {
      %p = memref.alloc() {alignment = 64 : i64} : memref<64xf32>
      %ps = memref.subview %p[0] [16] [1] : memref<64xf32> to memref<16xf32, strided<[1]>>
      memref.copy %out, %ps : memref<16xf32> to memref<16xf32, strided<[1]>>
      memref.copy %ps, %out : memref<16xf32, strided<[1]>> to memref<16xf32>
      memref.dealloc %p : memref<64xf32>
    }
    memref.dealloc %a : memref<16xf32>
    memref.dealloc %b : memref<32xf32>
    memref.dealloc %c : memref<16xf32>
    return
  }
}

// -----

// Buffers live at the same time never overlap, at 64-byte aligned offsets.
// A buffer passed to a call may outlive the run: it stays a heap
// allocation. Iterations of an scf.forall may run at once: a buffer made in
// one gets a 64-byte slot per iteration, 2 x 3 of them at 64 x (3 i + j),
// where the scalars before the loop, dead by then, were.
// CHECK-LABEL: @acnn_n_meta("acnn-model 1\0Aname n\0Aarena 384\0A\00")
// CHECK-LABEL: func.func @main
// CHECK-SAME: %[[ARENA:[^:]*]]: memref<384xi8> {acnn.arena}
// CHECK: %[[X:.*]] = memref.alloc() : memref<4xf32>
// CHECK: %[[O1:.*]] = arith.constant 0 : index
// CHECK-NEXT: memref.view %[[ARENA]][%[[O1]]][] : memref<384xi8> to memref<1xf32>
// CHECK: %[[O2:.*]] = arith.constant 64 : index
// CHECK-NEXT: memref.view %[[ARENA]][%[[O2]]][] : memref<384xi8> to memref<1xf32>
// CHECK: scf.forall (%[[I:.*]], %[[J:.*]]) in (2, 3)
// CHECK: %[[BASE:.*]] = arith.constant 0 : index
// CHECK: %[[SLOT:.*]] = arith.constant 64 : index
// CHECK: %[[R:.*]] = arith.muli %[[I]], %[[C3:.*]] : index
// CHECK: %[[N:.*]] = arith.addi %[[R]], %[[J]] : index
// CHECK: %[[S:.*]] = arith.muli %[[N]], %[[SLOT]] : index
// CHECK: %[[AT:.*]] = arith.addi %[[BASE]], %[[S]] : index
// CHECK: memref.view %[[ARENA]][%[[AT]]][] : memref<384xi8> to memref<4xf32>
// CHECK-NOT: memref.dealloc %{{.*}} : memref<4xf32>
// CHECK: }
// CHECK: memref.dealloc %[[X]]
// CHECK-NOT: memref.dealloc
module @n {
  llvm.mlir.global external constant @acnn_n_meta("acnn-model 1\0Aname n\0A\00") {addr_space = 0 : i32}
  func.func private @consume(memref<4xf32>)
  func.func @main(%in: memref<4xf32>, %out: memref<4xf32>) {
    %x = memref.alloc() : memref<4xf32>
    memref.copy %in, %x : memref<4xf32> to memref<4xf32>
    func.call @consume(%x) : (memref<4xf32>) -> ()
    %s1 = memref.alloc() : memref<1xf32>
    %s2 = memref.alloc() : memref<1xf32>
    memref.copy %s1, %s2 : memref<1xf32> to memref<1xf32>
    scf.forall (%i, %j) in (2, 3) {
      %t = memref.alloc() : memref<4xf32>
      memref.copy %in, %t : memref<4xf32> to memref<4xf32>
      memref.copy %t, %out : memref<4xf32> to memref<4xf32>
      memref.dealloc %t : memref<4xf32>
    }
    memref.dealloc %s1 : memref<1xf32>
    memref.dealloc %s2 : memref<1xf32>
    memref.dealloc %x : memref<4xf32>
    return
  }
}

// -----

// Along a chain of buffers, each live with the next only, placing them in
// order of first use beats largest first: c [4, 5] at 0, d [5, 6] at 64,
// b [6, 8] back at 0, a (80 bytes) [8, 9] at 64, for 144 bytes. Largest
// first would put a at 0, c at 0, d at 64 and b at 128: 192 bytes.
// CHECK-LABEL: @acnn_chain_meta("acnn-model 1\0Aname chain\0Aarena 144\0A\00")
// CHECK-LABEL: func.func @main
// CHECK: arith.constant 0 : index
// CHECK-NEXT: memref.view {{.*}} to memref<16xf32>
// CHECK-NEXT: arith.constant 64 : index
// CHECK-NEXT: memref.view {{.*}} to memref<16xf32>
// CHECK-NEXT: arith.constant 0 : index
// CHECK-NEXT: memref.view {{.*}} to memref<16xf32>
// CHECK-NEXT: arith.constant 64 : index
// CHECK-NEXT: memref.view {{.*}} to memref<20xf32>
module @chain {
  llvm.mlir.global external constant @acnn_chain_meta("acnn-model 1\0Aname chain\0A\00") {addr_space = 0 : i32}
  func.func @main(%in: memref<16xf32>, %out: memref<16xf32>) {
    %c = memref.alloc() : memref<16xf32>
    %d = memref.alloc() : memref<16xf32>
    %b = memref.alloc() : memref<16xf32>
    %a = memref.alloc() : memref<20xf32>
    memref.copy %in, %c : memref<16xf32> to memref<16xf32>
    memref.copy %c, %d : memref<16xf32> to memref<16xf32>
    memref.copy %d, %b : memref<16xf32> to memref<16xf32>
    %as = memref.subview %a[0] [16] [1] : memref<20xf32> to memref<16xf32, strided<[1]>>
    memref.copy %b, %as : memref<16xf32> to memref<16xf32, strided<[1]>>
    memref.copy %as, %out : memref<16xf32, strided<[1]>> to memref<16xf32>
    return
  }
}
