// RUN: acnn-opt %s -split-input-file -pass-pipeline="builtin.module(convert-scf-to-openmp,acnn-runtime-thread-count)" -verify-diagnostics | FileCheck %s

// @main reads the runtime's thread count once, at its start, from the context
// argument the pass adds (after the arena), and each parallel region forks
// that many threads.
// CHECK-LABEL: module @two_loops
// CHECK: func.func @main(%{{.*}}: memref<64xf32>, %{{.*}}: memref<64xf32>, %{{.*}}: memref<0xi8> {acnn.arena}, %[[CTX:.*]]: !llvm.ptr {acnn.context})
// CHECK-NEXT: %[[N:.*]] = call @acnn_context_num_threads(%[[CTX]]) : (!llvm.ptr) -> i32
// CHECK-NOT: call
// CHECK: omp.parallel num_threads(%[[N]] : i32)
// CHECK: omp.parallel num_threads(%[[N]] : i32)
// CHECK: func.func private @acnn_context_num_threads(!llvm.ptr) -> i32
module @two_loops {
  func.func @main(%x: memref<64xf32>, %y: memref<64xf32>) {
    %c0 = arith.constant 0 : index
    %c1 = arith.constant 1 : index
    %c64 = arith.constant 64 : index
    scf.parallel (%i) = (%c0) to (%c64) step (%c1) {
      %v = memref.load %x[%i] : memref<64xf32>
      memref.store %v, %y[%i] : memref<64xf32>
    }
    scf.parallel (%i) = (%c0) to (%c64) step (%c1) {
      %v = memref.load %y[%i] : memref<64xf32>
      memref.store %v, %x[%i] : memref<64xf32>
    }
    return
  }
}

// -----

// Without a parallel region nothing changes: no query, no context argument.
// CHECK-LABEL: module @serial
// CHECK: func.func @main(%{{.*}}: memref<64xf32>) {
// CHECK-NOT: acnn_context_num_threads
module @serial {
  func.func @main(%x: memref<64xf32>) {
    return
  }
}

// -----

// A region that already has a count (OpenMP's, from convert-scf-to-openmp's
// num-threads) is an error rather than overridden silently.
module @counted {
  func.func @main(%x: memref<64xf32>) {
    %c0 = arith.constant 0 : index
    %c1 = arith.constant 1 : index
    %c64 = arith.constant 64 : index
    %n = llvm.mlir.constant(4 : i32) : i32
    // expected-error @+1 {{parallel region already has a thread count}}
    omp.parallel num_threads(%n : i32) {
      omp.wsloop {
        omp.loop_nest (%i) : index = (%c0) to (%c64) step (%c1) {
          omp.yield
        }
      }
      omp.terminator
    }
    return
  }
}
