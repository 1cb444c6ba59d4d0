// RUN: acnn-opt %s -acnn-profile-kernels | FileCheck %s

// Each kernel's ops are bracketed by the runtime's timers, numbered in order
// of first appearance; the brackets abut, so every op of the run is in one.
// Ops that touch no memory (allocations, views, constants) do not delimit a
// kernel; a copy of no kernel counts towards the next kernel, and a loop
// towards the kernel of the ops in it. A kernel that comes back is timed
// again under its first number; it has one record, names percent-encoded.
// CHECK-LABEL: llvm.mlir.global external constant @acnn_m_meta("acnn-model 1\0Aname m\0Akernel conv\0Akernel relu%20x\0A\00")
// CHECK-LABEL: func.func @main
// CHECK-SAME: %{{.*}}: memref<0xi8> {acnn.arena}, %[[CTX:.*]]: !llvm.ptr {acnn.context})
// CHECK-NEXT: %[[K0:.*]] = arith.constant 0 : i32
// CHECK-NEXT: call @acnn_kernel_begin(%[[CTX]], %[[K0]]) : (!llvm.ptr, i32) -> ()
// CHECK-COUNT-4: arith.constant
// CHECK-NEXT: memref.alloc
// CHECK-NEXT: linalg.fill
// CHECK-NEXT: memref.copy
// CHECK-NEXT: %[[K0:.*]] = arith.constant 0 : i32
// CHECK-NEXT: call @acnn_kernel_end(%[[CTX]], %[[K0]])
// CHECK-NEXT: %[[K1:.*]] = arith.constant 1 : i32
// CHECK-NEXT: call @acnn_kernel_begin(%[[CTX]], %[[K1]])
// CHECK-NEXT: memref.alloc
// CHECK-NEXT: memref.copy %{{.*}}, %arg1
// CHECK-NEXT: scf.for
// CHECK: }
// CHECK-NEXT: %[[K1:.*]] = arith.constant 1 : i32
// CHECK-NEXT: call @acnn_kernel_end(%[[CTX]], %[[K1]])
// CHECK-NEXT: %[[K0:.*]] = arith.constant 0 : i32
// CHECK-NEXT: call @acnn_kernel_begin(%[[CTX]], %[[K0]])
// CHECK-NEXT: linalg.fill
// CHECK-NEXT: memref.dealloc
// CHECK-NEXT: memref.dealloc
// CHECK-NEXT: %[[K0:.*]] = arith.constant 0 : i32
// CHECK-NEXT: call @acnn_kernel_end(%[[CTX]], %[[K0]])
// CHECK-NEXT: return
// CHECK: func.func private @acnn_kernel_begin(!llvm.ptr, i32)
// CHECK: func.func private @acnn_kernel_end(!llvm.ptr, i32)
#conv = loc(fused<{acnn.kernel_name = "conv"}>["c"])
#relu = loc(fused<{acnn.kernel_name = "relu x"}>["r"])
module @m {
  llvm.mlir.global external constant @acnn_m_meta("acnn-model 1\0Aname m\0A\00") {addr_space = 0 : i32}
  func.func @main(%in: memref<16xf32>, %out: memref<16xf32>) {
    %zero = arith.constant 0.0 : f32
    %c0 = arith.constant 0 : index
    %c1 = arith.constant 1 : index
    %c16 = arith.constant 16 : index
    %a = memref.alloc() : memref<16xf32> loc(#conv)
    linalg.fill ins(%zero : f32) outs(%a : memref<16xf32>) loc(#conv)
    memref.copy %in, %a : memref<16xf32> to memref<16xf32> loc(#conv)
    %b = memref.alloc() : memref<16xf32> loc(#relu)
    memref.copy %a, %out : memref<16xf32> to memref<16xf32>
    scf.for %i = %c0 to %c16 step %c1 {
      %v = memref.load %out[%i] : memref<16xf32>
      %r = arith.maximumf %v, %zero : f32
      memref.store %r, %out[%i] : memref<16xf32> loc(#relu)
    }
    linalg.fill ins(%zero : f32) outs(%b : memref<16xf32>) loc(#conv)
    memref.dealloc %a : memref<16xf32>
    memref.dealloc %b : memref<16xf32>
    return
  }
}
