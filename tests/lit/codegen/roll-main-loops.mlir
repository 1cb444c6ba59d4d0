// RUN: acnn-opt %s -split-input-file -acnn-roll-main-loops -verify-diagnostics | FileCheck %s

// The back edge of @main's own loop that only moves memory, conditional or
// not, disables unrolling, also where one thread of its team runs it; a loop
// that computes, the loop inside a worksharing loop and forward branches keep
// LLVM's choice, as does another function's loop.
// CHECK: #[[UNROLL:.*]] = #llvm.loop_unroll<disable = true>
// CHECK: #[[ROLLED:.*]] = #llvm.loop_annotation<unroll = #[[UNROLL]]>
// CHECK-LABEL: llvm.func @main
// CHECK: llvm.br ^[[HEAD:.*]](%{{.*}} : i64){{$}}
// CHECK: ^[[HEAD]](
// CHECK: llvm.cond_br %{{.*}}, ^[[BODY:.*]], ^[[EXIT:[a-z0-9]*]]{{$}}
// CHECK: ^[[BODY]]:
// CHECK: llvm.br ^[[HEAD]](%{{.*}} : i64) {loop_annotation = #[[ROLLED]]}
// CHECK: ^[[EXIT]]:
// CHECK: omp.masked
// CHECK: llvm.cond_br %{{.*}}, ^{{.*}}, ^{{.*}} {loop_annotation = #[[ROLLED]]}
// CHECK: omp.wsloop
// CHECK-NOT: loop_annotation
// CHECK: omp.yield
// CHECK: ^{{.*}}:
// CHECK: llvm.cond_br %{{.*}}, ^{{.*}}, ^{{.*}} {loop_annotation = #[[ROLLED]]}
// CHECK: llvm.fadd
// CHECK-NOT: loop_annotation
// CHECK-LABEL: llvm.func @other
// CHECK-NOT: loop_annotation
module {
  llvm.func @main(%p: !llvm.ptr) {
    %c0 = llvm.mlir.constant(0 : i64) : i64
    %c1 = llvm.mlir.constant(1 : i64) : i64
    %c7 = llvm.mlir.constant(7 : i64) : i64
    %zero = llvm.mlir.constant(0.0 : f32) : f32
    llvm.br ^head(%c0 : i64)
  ^head(%i: i64):
    %more = llvm.icmp "slt" %i, %c7 : i64
    llvm.cond_br %more, ^body, ^exit
  ^body:
    %q = llvm.getelementptr %p[%i] : (!llvm.ptr, i64) -> !llvm.ptr, f32
    llvm.store %zero, %q : f32, !llvm.ptr
    %next = llvm.add %i, %c1 : i64
    llvm.br ^head(%next : i64)
  ^exit:
    omp.parallel {
      omp.masked {
        llvm.br ^serial(%c0 : i64)
      ^serial(%j: i64):
        %r = llvm.getelementptr %p[%j] : (!llvm.ptr, i64) -> !llvm.ptr, f32
        llvm.store %zero, %r : f32, !llvm.ptr
        %k = llvm.add %j, %c1 : i64
        %again = llvm.icmp "slt" %k, %c7 : i64
        llvm.cond_br %again, ^serial(%k : i64), ^done
      ^done:
        omp.terminator
      }
      omp.wsloop {
        omp.loop_nest (%w) : i64 = (%c0) to (%c7) step (%c1) {
          llvm.br ^inner(%c0 : i64)
        ^inner(%x: i64):
          %y = llvm.getelementptr %p[%x] : (!llvm.ptr, i64) -> !llvm.ptr, f32
          llvm.store %zero, %y : f32, !llvm.ptr
          %z = llvm.add %x, %c1 : i64
          %more2 = llvm.icmp "slt" %z, %c7 : i64
          llvm.cond_br %more2, ^inner(%z : i64), ^next
        ^next:
          omp.yield
        }
      }
      omp.terminator
    }
    llvm.br ^rotated(%c0 : i64)
  ^rotated(%m: i64):
    %s = llvm.getelementptr %p[%m] : (!llvm.ptr, i64) -> !llvm.ptr, f32
    llvm.store %zero, %s : f32, !llvm.ptr
    %n = llvm.add %m, %c1 : i64
    %loop = llvm.icmp "slt" %n, %c7 : i64
    llvm.cond_br %loop, ^rotated(%n : i64), ^sum(%c0, %zero : i64, f32)
  ^sum(%t: i64, %acc: f32):
    %u = llvm.getelementptr %p[%t] : (!llvm.ptr, i64) -> !llvm.ptr, f32
    %v = llvm.load %u : !llvm.ptr -> f32
    %acc2 = llvm.fadd %acc, %v : f32
    %t2 = llvm.add %t, %c1 : i64
    %again2 = llvm.icmp "slt" %t2, %c7 : i64
    llvm.cond_br %again2, ^sum(%t2, %acc2 : i64, f32), ^end(%acc2 : f32)
  ^end(%total: f32):
    llvm.store %total, %p : f32, !llvm.ptr
    llvm.return
  }
  llvm.func @other(%p: !llvm.ptr) {
    %c0 = llvm.mlir.constant(0 : i64) : i64
    %c1 = llvm.mlir.constant(1 : i64) : i64
    %zero = llvm.mlir.constant(0.0 : f32) : f32
    llvm.br ^loop(%c0 : i64)
  ^loop(%i: i64):
    %q = llvm.getelementptr %p[%i] : (!llvm.ptr, i64) -> !llvm.ptr, f32
    llvm.store %zero, %q : f32, !llvm.ptr
    %next = llvm.add %i, %c1 : i64
    llvm.br ^loop(%next : i64)
  }
}

// -----

// expected-error @below {{acnn-roll-main-loops: no LLVM @main to mark}}
module {
  llvm.func @other()
}
