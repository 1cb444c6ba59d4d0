// RUN: acnn-opt %s -acnn-constants-as-bytes | FileCheck %s

// A nested array of floats: the same bytes (1.0 = 0x3F800000, little endian),
// its alignment kept; the address taken of it is unchanged.
// CHECK: llvm.mlir.global private constant @w(dense<[0, 0, -128, 63, 0, 0, 0, 64, 0, 0, 64, 64, 0, 0, -128, 64]> : tensor<16xi8>) {addr_space = 0 : i32, alignment = 64 : i64} : !llvm.array<16 x i8>
llvm.mlir.global private constant @w(dense<[[1.0, 2.0], [3.0, 4.0]]> : tensor<2x2xf32>) {addr_space = 0 : i32, alignment = 64 : i64} : !llvm.array<2 x array<2 x f32>>

// Without an alignment: the floats' own (4 bytes), not a byte's.
// CHECK: llvm.mlir.global private constant @unaligned(dense<[0, 0, -128, 63, 0, 0, 0, 64]> : tensor<8xi8>) {addr_space = 0 : i32, alignment = 4 : i64} : !llvm.array<8 x i8>
llvm.mlir.global private constant @unaligned(dense<[1.0, 2.0]> : tensor<2xf32>) {addr_space = 0 : i32} : !llvm.array<2 x f32>

// A blob: the same blob, read as bytes.
// CHECK: llvm.mlir.global private constant @blob(dense_resource<b> : tensor<8xi8>) {addr_space = 0 : i32, alignment = 64 : i64} : !llvm.array<8 x i8>
llvm.mlir.global private constant @blob(dense_resource<b> : tensor<2xf32>) {addr_space = 0 : i32, alignment = 64 : i64} : !llvm.array<2 x f32>

// Left alone: a splat (one element's bytes), a global that is written, and
// a scalar.
// CHECK: llvm.mlir.global private constant @splat(dense<1.000000e+00> : tensor<4xf32>) {{.*}} : !llvm.array<4 x f32>
llvm.mlir.global private constant @splat(dense<1.0> : tensor<4xf32>) {addr_space = 0 : i32} : !llvm.array<4 x f32>
// CHECK: llvm.mlir.global private @mutable(dense<[1.000000e+00, 2.000000e+00]> : tensor<2xf32>) {{.*}} : !llvm.array<2 x f32>
llvm.mlir.global private @mutable(dense<[1.0, 2.0]> : tensor<2xf32>) {addr_space = 0 : i32} : !llvm.array<2 x f32>
// CHECK: llvm.mlir.global private constant @scalar(1.000000e+00 : f32) {{.*}} : f32
llvm.mlir.global private constant @scalar(1.0 : f32) {addr_space = 0 : i32} : f32

// CHECK-LABEL: llvm.func @use
// CHECK: llvm.mlir.addressof @w : !llvm.ptr
llvm.func @use() -> !llvm.ptr {
  %0 = llvm.mlir.addressof @w : !llvm.ptr
  llvm.return %0 : !llvm.ptr
}

{-#
  dialect_resources: {
    builtin: {
      b: "0x040000000000803F00000040"
    }
  }
#-}
