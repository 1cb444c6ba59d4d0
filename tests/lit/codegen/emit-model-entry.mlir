// RUN: acnn-opt %s -split-input-file -acnn-emit-model-entry -verify-diagnostics | FileCheck %s --check-prefixes=CHECK,STATIC
// RUN: acnn-opt %s -split-input-file -pass-pipeline="builtin.module(acnn-emit-model-entry{shared-library=true})" -verify-diagnostics | FileCheck %s --check-prefixes=CHECK,SHARED

// The lowered @main becomes internal, as acnn_<model>_main, its body kept;
// acnn_<model>_entry(void **args) loads args[0..4) and passes them to it in
// order (inputs, outputs, arena, context). With shared-library the metadata
// and the entry are exported again under the generic names the runtime
// looks up in a shared library: the same text, the same unpacking.
// CHECK-LABEL: module @m
// CHECK: llvm.mlir.global external constant @acnn_m_meta("acnn-model 1\0Aname m\0Ainput x f32 1 4\0Aoutput y f32 1 4\0Aarena 64\0A\00")
// CHECK: llvm.func internal @acnn_m_main(%[[IN:.*]]: !llvm.ptr, %[[OUT:.*]]: !llvm.ptr, %{{.*}}: !llvm.ptr, %{{.*}}: !llvm.ptr)
// CHECK-NEXT: %[[V:.*]] = llvm.load %[[IN]] : !llvm.ptr -> f32
// CHECK-NEXT: llvm.store %[[V]], %[[OUT]] : f32, !llvm.ptr
// CHECK-NEXT: llvm.return
// CHECK: llvm.func @acnn_m_entry(%[[ARGS:.*]]: !llvm.ptr) {
// CHECK-NEXT: %[[P0:.*]] = llvm.getelementptr %[[ARGS]][0] : (!llvm.ptr) -> !llvm.ptr, !llvm.ptr
// CHECK-NEXT: %[[A0:.*]] = llvm.load %[[P0]] : !llvm.ptr -> !llvm.ptr
// CHECK-NEXT: %[[P1:.*]] = llvm.getelementptr %[[ARGS]][1] : (!llvm.ptr) -> !llvm.ptr, !llvm.ptr
// CHECK-NEXT: %[[A1:.*]] = llvm.load %[[P1]] : !llvm.ptr -> !llvm.ptr
// CHECK-NEXT: %[[P2:.*]] = llvm.getelementptr %[[ARGS]][2] : (!llvm.ptr) -> !llvm.ptr, !llvm.ptr
// CHECK-NEXT: %[[A2:.*]] = llvm.load %[[P2]] : !llvm.ptr -> !llvm.ptr
// CHECK-NEXT: %[[P3:.*]] = llvm.getelementptr %[[ARGS]][3] : (!llvm.ptr) -> !llvm.ptr, !llvm.ptr
// CHECK-NEXT: %[[A3:.*]] = llvm.load %[[P3]] : !llvm.ptr -> !llvm.ptr
// CHECK-NEXT: llvm.call @acnn_m_main(%[[A0]], %[[A1]], %[[A2]], %[[A3]]) : (!llvm.ptr, !llvm.ptr, !llvm.ptr, !llvm.ptr) -> ()
// CHECK-NEXT: llvm.return
// STATIC-NOT: @acnn_model_meta
// STATIC-NOT: @acnn_model_entry
// SHARED: llvm.mlir.global external constant @acnn_model_meta("acnn-model 1\0Aname m\0Ainput x f32 1 4\0Aoutput y f32 1 4\0Aarena 64\0A\00")
// SHARED: llvm.func @acnn_model_entry(%[[ARGS:.*]]: !llvm.ptr) {
// SHARED-NEXT: %[[P0:.*]] = llvm.getelementptr %[[ARGS]][0] : (!llvm.ptr) -> !llvm.ptr, !llvm.ptr
// SHARED-NEXT: %[[A0:.*]] = llvm.load %[[P0]] : !llvm.ptr -> !llvm.ptr
// SHARED-NEXT: %[[P1:.*]] = llvm.getelementptr %[[ARGS]][1] : (!llvm.ptr) -> !llvm.ptr, !llvm.ptr
// SHARED-NEXT: %[[A1:.*]] = llvm.load %[[P1]] : !llvm.ptr -> !llvm.ptr
// SHARED-NEXT: %[[P2:.*]] = llvm.getelementptr %[[ARGS]][2] : (!llvm.ptr) -> !llvm.ptr, !llvm.ptr
// SHARED-NEXT: %[[A2:.*]] = llvm.load %[[P2]] : !llvm.ptr -> !llvm.ptr
// SHARED-NEXT: %[[P3:.*]] = llvm.getelementptr %[[ARGS]][3] : (!llvm.ptr) -> !llvm.ptr, !llvm.ptr
// SHARED-NEXT: %[[A3:.*]] = llvm.load %[[P3]] : !llvm.ptr -> !llvm.ptr
// SHARED-NEXT: llvm.call @acnn_m_main(%[[A0]], %[[A1]], %[[A2]], %[[A3]]) : (!llvm.ptr, !llvm.ptr, !llvm.ptr, !llvm.ptr) -> ()
// SHARED-NEXT: llvm.return
// CHECK-NOT: llvm.func @main
module @m {
  llvm.mlir.global external constant @acnn_m_meta("acnn-model 1\0Aname m\0Ainput x f32 1 4\0Aoutput y f32 1 4\0Aarena 64\0A\00") {addr_space = 0 : i32}
  llvm.func @main(%in: !llvm.ptr, %out: !llvm.ptr, %arena: !llvm.ptr, %ctx: !llvm.ptr) {
    %v = llvm.load %in : !llvm.ptr -> f32
    llvm.store %v, %out : f32, !llvm.ptr
    llvm.return
  }
}

// -----

// The symbols are prefixed with the module's name, characters other than
// [A-Za-z0-9] made '_', as acnn-emit-model-meta names the metadata.
// CHECK-LABEL: module @"se-resnet.v2"
// CHECK: llvm.func internal @acnn_se_resnet_v2_main(%{{.*}}: !llvm.ptr)
// CHECK: llvm.func @acnn_se_resnet_v2_entry(%[[ARGS:.*]]: !llvm.ptr) {
// CHECK-NEXT: %[[P0:.*]] = llvm.getelementptr %[[ARGS]][0] : (!llvm.ptr) -> !llvm.ptr, !llvm.ptr
// CHECK-NEXT: %[[A0:.*]] = llvm.load %[[P0]] : !llvm.ptr -> !llvm.ptr
// CHECK-NEXT: llvm.call @acnn_se_resnet_v2_main(%[[A0]]) : (!llvm.ptr) -> ()
// SHARED: llvm.mlir.global external constant @acnn_model_meta("acnn-model 1\0Aname se_resnet_v2\0A\00")
// SHARED: llvm.func @acnn_model_entry(
// SHARED: llvm.call @acnn_se_resnet_v2_main(
module @"se-resnet.v2" {
  llvm.mlir.global external constant @acnn_se_resnet_v2_meta("acnn-model 1\0Aname se_resnet_v2\0A\00") {addr_space = 0 : i32}
  llvm.func @main(%ctx: !llvm.ptr) {
    llvm.return
  }
}

// -----

// The metadata global must be there (acnn-emit-model-meta, before lowering).
// expected-error @+1 {{expected the lowered llvm.func @main and the global @acnn_m_meta (run acnn-emit-model-meta before lowering)}}
module @m {
  llvm.func @main(%in: !llvm.ptr) {
    llvm.return
  }
}

// -----

// So must @main, lowered to the LLVM dialect: a func.func @main is not.
// expected-error @+1 {{expected the lowered llvm.func @main and the global @acnn_m_meta}}
module @m {
  llvm.mlir.global external constant @acnn_m_meta("acnn-model 1\0Aname m\0A\00") {addr_space = 0 : i32}
  func.func @main(%in: !llvm.ptr) {
    return
  }
}

// -----

// The entry passes pointers only: @main lowered without the bare-pointer
// convention (a memref descriptor's fields as arguments) is rejected.
module @m {
  llvm.mlir.global external constant @acnn_m_meta("acnn-model 1\0Aname m\0A\00") {addr_space = 0 : i32}
  // expected-error @+1 {{@main must take its inputs and outputs as bare pointers and return nothing (lower with out-params and the bare-pointer calling convention)}}
  llvm.func @main(%base: !llvm.ptr, %aligned: !llvm.ptr, %offset: i64) {
    llvm.return
  }
}

// -----

// And returns nothing: results must have been made out-params.
module @m {
  llvm.mlir.global external constant @acnn_m_meta("acnn-model 1\0Aname m\0A\00") {addr_space = 0 : i32}
  // expected-error @+1 {{@main must take its inputs and outputs as bare pointers and return nothing}}
  llvm.func @main(%in: !llvm.ptr) -> !llvm.ptr {
    llvm.return %in : !llvm.ptr
  }
}

// -----

// A model named "model" already exports the generic names: a shared library
// defines each once.
// CHECK-LABEL: module @model
// CHECK: llvm.func internal @acnn_model_main(%{{.*}}: !llvm.ptr)
// CHECK: llvm.func @acnn_model_entry(%{{.*}}: !llvm.ptr)
// CHECK-NOT: @acnn_model_entry(
// CHECK-NOT: @acnn_model_meta(
module @model {
  llvm.mlir.global external constant @acnn_model_meta("acnn-model 1\0Aname model\0A\00") {addr_space = 0 : i32}
  llvm.func @main(%in: !llvm.ptr) {
    llvm.return
  }
}
