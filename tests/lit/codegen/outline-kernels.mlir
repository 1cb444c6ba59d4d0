// RUN: acnn-opt %s -acnn-outline-kernels -split-input-file | FileCheck %s

// The first two kernels differ only in where their tensors live in the
// arena: their views (moved before the kernel) are arguments, so both call
// one function; their views are disjoint, so they are noalias there. The
// weight is an argument, the scalar constants are part of the function. The
// third kernel occurs once and stays in @main.
// CHECK-LABEL: func.func @main
// CHECK: %[[V0:.*]] = memref.view %arg1[%c0]
// CHECK: call @acnn_kernel_begin(%arg2, %c0_i32)
// CHECK-NEXT: call @main_kernel0(%{{.*}}, %[[V0]]) : (memref<64xf32>, memref<64xf32>) -> ()
// CHECK-NEXT: call @acnn_kernel_end(%arg2, %c0_i32)
// CHECK: %[[V1:.*]] = memref.view %arg1[%c256]
// CHECK: call @acnn_kernel_begin(%arg2, %c1_i32)
// CHECK-NEXT: call @main_kernel0(%{{.*}}, %[[V1]]) : (memref<64xf32>, memref<64xf32>) -> ()
// CHECK: call @acnn_kernel_begin(%arg2, %c2_i32)
// CHECK: scf.for
// CHECK: arith.mulf
// CHECK: call @acnn_kernel_end(%arg2, %c2_i32)
// CHECK: func.func private @main_kernel0(%arg0: memref<64xf32> {llvm.noalias}, %arg1: memref<64xf32> {llvm.noalias}) attributes {acnn.kernel_function}
// CHECK: arith.constant 2.000000e+00 : f32
// CHECK: scf.for
// CHECK-NOT: func.func private @main_kernel
memref.global "private" constant @w : memref<64xf32> = dense<1.0>
func.func private @acnn_kernel_begin(!llvm.ptr, i32)
func.func private @acnn_kernel_end(!llvm.ptr, i32)
func.func @main(%x: memref<64xf32>, %arena: memref<1024xi8> {acnn.arena}, %ctx: !llvm.ptr {acnn.context}) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c64 = arith.constant 64 : index
  %c256 = arith.constant 256 : index
  %c512 = arith.constant 512 : index
  %k0 = arith.constant 0 : i32
  %k1 = arith.constant 1 : i32
  %k2 = arith.constant 2 : i32
  %two = arith.constant 2.0 : f32
  %three = arith.constant 3.0 : f32
  call @acnn_kernel_begin(%ctx, %k0) : (!llvm.ptr, i32) -> ()
  %a = memref.view %arena[%c0][] : memref<1024xi8> to memref<64xf32>
  %w = memref.get_global @w : memref<64xf32>
  scf.for %i = %c0 to %c64 step %c1 {
    %v = memref.load %w[%i] : memref<64xf32>
    %s = arith.mulf %v, %two : f32
    memref.store %s, %a[%i] : memref<64xf32>
  }
  call @acnn_kernel_end(%ctx, %k0) : (!llvm.ptr, i32) -> ()
  call @acnn_kernel_begin(%ctx, %k1) : (!llvm.ptr, i32) -> ()
  %b = memref.view %arena[%c256][] : memref<1024xi8> to memref<64xf32>
  %w1 = memref.get_global @w : memref<64xf32>
  scf.for %i = %c0 to %c64 step %c1 {
    %v = memref.load %w1[%i] : memref<64xf32>
    %s = arith.mulf %v, %two : f32
    memref.store %s, %b[%i] : memref<64xf32>
  }
  call @acnn_kernel_end(%ctx, %k1) : (!llvm.ptr, i32) -> ()
  call @acnn_kernel_begin(%ctx, %k2) : (!llvm.ptr, i32) -> ()
  scf.for %i = %c0 to %c64 step %c1 {
    %v = memref.load %a[%i] : memref<64xf32>
    %s = arith.mulf %v, %three : f32
    memref.store %s, %x[%i] : memref<64xf32>
  }
  call @acnn_kernel_end(%ctx, %k2) : (!llvm.ptr, i32) -> ()
  return
}

// -----

// A strided view cannot pass the bare-pointer boundary: the kernels take
// what it views and recompute it.
// CHECK-LABEL: func.func @main
// CHECK: call @main_kernel0(%arg0) : (memref<8x8xf32>) -> ()
// CHECK: call @main_kernel0(%arg0) : (memref<8x8xf32>) -> ()
// CHECK: func.func private @main_kernel0(%arg0: memref<8x8xf32>)
// CHECK-NEXT: arith.constant 0.0
// CHECK-NEXT: memref.subview %arg0[0, 4] [8, 4] [1, 1]
func.func private @acnn_kernel_begin(!llvm.ptr, i32)
func.func private @acnn_kernel_end(!llvm.ptr, i32)
func.func @main(%x: memref<8x8xf32>, %arena: memref<1024xi8> {acnn.arena}, %ctx: !llvm.ptr {acnn.context}) {
  %k0 = arith.constant 0 : i32
  %k1 = arith.constant 1 : i32
  %zero = arith.constant 0.0 : f32
  call @acnn_kernel_begin(%ctx, %k0) : (!llvm.ptr, i32) -> ()
  %half = memref.subview %x[0, 4] [8, 4] [1, 1] : memref<8x8xf32> to memref<8x4xf32, strided<[8, 1], offset: 4>>
  linalg.fill ins(%zero : f32) outs(%half : memref<8x4xf32, strided<[8, 1], offset: 4>>)
  call @acnn_kernel_end(%ctx, %k0) : (!llvm.ptr, i32) -> ()
  call @acnn_kernel_begin(%ctx, %k1) : (!llvm.ptr, i32) -> ()
  linalg.fill ins(%zero : f32) outs(%half : memref<8x4xf32, strided<[8, 1], offset: 4>>)
  call @acnn_kernel_end(%ctx, %k1) : (!llvm.ptr, i32) -> ()
  return
}
