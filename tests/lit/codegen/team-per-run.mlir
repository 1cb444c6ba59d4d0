// RUN: acnn-opt %s -split-input-file -pass-pipeline="builtin.module(convert-scf-to-openmp,acnn-runtime-thread-count,acnn-team-per-run)" -verify-diagnostics | FileCheck %s

// @main forks once, on the runtime's count, after its query. The profiling
// hooks run on the first thread, with no barrier after the end hook alone;
// the serial copy runs there too, and the others wait for it. Each parallel loop becomes a
// worksharing loop of the team, whose own barrier ends it: no barrier after
// it. The view both the copy and the loop use is computed by every thread.
// The kernel function's loop and its serial start get the same treatment;
// @main's sequential loop around a parallel one is run by every thread.
// CHECK-LABEL: module @team
// CHECK: func.func private @kernel(
// CHECK-NOT: omp.parallel
// CHECK: omp.masked {
// CHECK: memref.store
// CHECK: omp.barrier
// CHECK-NEXT: omp.wsloop {
// CHECK: func.func @main(
// CHECK-NEXT: %[[N:.*]] = call @acnn_context_num_threads
// CHECK-NEXT: omp.parallel num_threads(%[[N]] : i32) {
// CHECK-NOT: omp.parallel
// CHECK: %[[V:.*]] = memref.view
// CHECK-NEXT: omp.masked {
// CHECK-NEXT: call @acnn_kernel_begin
// CHECK-NEXT: scf.for
// CHECK: memref.store %{{.*}}, %[[V]]
// CHECK: omp.terminator
// CHECK-NEXT: }
// CHECK-NEXT: omp.barrier
// CHECK-NEXT: omp.wsloop {
// CHECK: memref.load %[[V]]
// CHECK: omp.yield
// CHECK-NEXT: }
// CHECK-NEXT: }
// CHECK-NEXT: omp.masked {
// CHECK-NEXT: call @acnn_kernel_end
// CHECK-NEXT: omp.terminator
// CHECK-NEXT: }
// CHECK-NEXT: call @kernel(
// CHECK-NEXT: scf.for
// CHECK-NEXT: llvm.mlir.constant
// CHECK-NEXT: omp.wsloop {
// CHECK: omp.yield
// CHECK-NEXT: }
// CHECK-NEXT: }
// CHECK-NEXT: }
// CHECK-NEXT: omp.terminator
// CHECK-NEXT: }
// CHECK-NEXT: return
module @team {
  func.func private @acnn_kernel_begin(!llvm.ptr, i32)
  func.func private @acnn_kernel_end(!llvm.ptr, i32)
  func.func private @kernel(%x: memref<64xf32>) attributes {acnn.kernel_function} {
    %c0 = arith.constant 0 : index
    %c1 = arith.constant 1 : index
    %c64 = arith.constant 64 : index
    %zero = arith.constant 0.0 : f32
    memref.store %zero, %x[%c0] : memref<64xf32>
    scf.parallel (%i) = (%c1) to (%c64) step (%c1) {
      memref.store %zero, %x[%i] : memref<64xf32>
    }
    return
  }
  func.func @main(%x: memref<64xf32>, %arena: memref<256xi8> {acnn.arena}, %ctx: !llvm.ptr {acnn.context}) {
    %c0 = arith.constant 0 : index
    %c1 = arith.constant 1 : index
    %c4 = arith.constant 4 : index
    %c64 = arith.constant 64 : index
    %k0 = arith.constant 0 : i32
    call @acnn_kernel_begin(%ctx, %k0) : (!llvm.ptr, i32) -> ()
    %a = memref.view %arena[%c0][] : memref<256xi8> to memref<64xf32>
    scf.for %i = %c0 to %c64 step %c1 {
      %v = memref.load %x[%i] : memref<64xf32>
      memref.store %v, %a[%i] : memref<64xf32>
    }
    scf.parallel (%i) = (%c0) to (%c64) step (%c1) {
      %v = memref.load %a[%i] : memref<64xf32>
      %s = arith.addf %v, %v : f32
      memref.store %s, %x[%i] : memref<64xf32>
    }
    call @acnn_kernel_end(%ctx, %k0) : (!llvm.ptr, i32) -> ()
    call @kernel(%x) : (memref<64xf32>) -> ()
    scf.for %j = %c0 to %c4 step %c1 {
      scf.parallel (%i) = (%c0) to (%c64) step (%c1) {
        %v = memref.load %x[%i] : memref<64xf32>
        %s = arith.addf %v, %v : f32
        memref.store %s, %x[%i] : memref<64xf32>
      }
    }
    return
  }
}

// -----

// A loop bound one thread loads reaches the others through memory
// allocated before the fork: in @main, and as a new argument of the kernel
// function computing it, which each call passes. A weight's element is read
// by every thread.
// CHECK-LABEL: module @shared
// CHECK: func.func private @kernel(%{{.*}}: memref<64xf32>, %{{.*}}: memref<1xi32>, %[[KSLOT:.*]]: memref<index>)
// CHECK: omp.masked {
// CHECK: %[[KB:.*]] = arith.index_cast
// CHECK: memref.store %[[KB]], %[[KSLOT]][]
// CHECK: omp.barrier
// CHECK-NEXT: %[[KEND:.*]] = memref.load %[[KSLOT]][]
// CHECK-NEXT: omp.wsloop {
// CHECK-NEXT: omp.loop_nest (%{{.*}}) : index = (%{{.*}}) to (%[[KEND]])
// CHECK: func.func @main(
// CHECK: %[[KERNELSLOT:.*]] = memref.alloca() : memref<index>
// CHECK-NEXT: %[[SLOT:.*]] = memref.alloca() : memref<index>
// CHECK-NEXT: omp.parallel
// CHECK: %[[W:.*]] = memref.get_global @w
// CHECK-NEXT: %[[SCALE:.*]] = memref.load %[[W]]
// CHECK-NEXT: omp.masked {
// CHECK: %[[B:.*]] = arith.index_cast
// CHECK: memref.store %[[B]], %[[SLOT]][]
// CHECK: omp.barrier
// CHECK-NEXT: %[[END:.*]] = memref.load %[[SLOT]][]
// CHECK-NEXT: omp.wsloop {
// CHECK-NEXT: omp.loop_nest (%{{.*}}) : index = (%{{.*}}) to (%[[END]])
// CHECK: arith.mulf %{{.*}}, %[[SCALE]]
// CHECK: call @kernel(%{{.*}}, %{{.*}}, %[[KERNELSLOT]])
module @shared {
  memref.global "private" constant @w : memref<1xf32> = dense<2.0>
  func.func private @kernel(%x: memref<64xf32>, %n: memref<1xi32>) attributes {acnn.kernel_function} {
    %c0 = arith.constant 0 : index
    %c1 = arith.constant 1 : index
    %bound = memref.load %n[%c0] : memref<1xi32>
    %end = arith.index_cast %bound : i32 to index
    scf.parallel (%i) = (%c0) to (%end) step (%c1) {
      %v = memref.load %x[%i] : memref<64xf32>
      memref.store %v, %x[%i] : memref<64xf32>
    }
    return
  }
  func.func @main(%x: memref<64xf32>, %n: memref<1xi32>, %arena: memref<0xi8> {acnn.arena}, %ctx: !llvm.ptr {acnn.context}) {
    %c0 = arith.constant 0 : index
    %c1 = arith.constant 1 : index
    %w = memref.get_global @w : memref<1xf32>
    %scale = memref.load %w[%c0] : memref<1xf32>
    %bound = memref.load %n[%c0] : memref<1xi32>
    %end = arith.index_cast %bound : i32 to index
    scf.parallel (%i) = (%c0) to (%end) step (%c1) {
      %v = memref.load %x[%i] : memref<64xf32>
      %s = arith.mulf %v, %scale : f32
      memref.store %s, %x[%i] : memref<64xf32>
    }
    call @kernel(%x, %n) : (memref<64xf32>, memref<1xi32>) -> ()
    return
  }
}

// -----

// A loop that is not a for, an if or a scope cannot be run alike by every
// thread: @main keeps a region per parallel loop, and says why.
// CHECK-LABEL: module @kept
// CHECK: call @acnn_context_num_threads
// CHECK: scf.while
// CHECK: omp.parallel num_threads
// CHECK-NOT: omp.masked
module @kept {
  // expected-remark @below {{each parallel loop forks its own threads: one team cannot run 'scf.while'}}
  func.func @main(%x: memref<64xf32>, %arena: memref<0xi8> {acnn.arena}, %ctx: !llvm.ptr {acnn.context}) {
    %c0 = arith.constant 0 : index
    %c1 = arith.constant 1 : index
    %c64 = arith.constant 64 : index
    %false = arith.constant false
    scf.while : () -> () {
      scf.condition(%false)
    } do {
      scf.parallel (%i) = (%c0) to (%c64) step (%c1) {
        %v = memref.load %x[%i] : memref<64xf32>
        memref.store %v, %x[%i] : memref<64xf32>
      }
      scf.yield
    }
    return
  }
}

// -----

// Without a parallel loop there is no team.
// CHECK-LABEL: module @serial
// CHECK-NOT: omp.
module @serial {
  func.func @main(%x: memref<64xf32>) {
    %c0 = arith.constant 0 : index
    %zero = arith.constant 0.0 : f32
    memref.store %zero, %x[%c0] : memref<64xf32>
    return
  }
}
