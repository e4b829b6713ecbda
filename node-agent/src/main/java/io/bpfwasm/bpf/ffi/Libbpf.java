package io.bpfwasm.bpf.ffi;

import static io.bpfwasm.bpf.ffi.Native.C_INT;
import static io.bpfwasm.bpf.ffi.Native.C_LONG;
import static io.bpfwasm.bpf.ffi.Native.C_POINTER;
import static io.bpfwasm.bpf.ffi.Native.downcall;
import static io.bpfwasm.bpf.ffi.Native.downcallCritical;
import static io.bpfwasm.bpf.ffi.Native.downcallErrno;

import java.lang.foreign.FunctionDescriptor;
import java.lang.invoke.MethodHandle;

/**
 * Method handles for the libbpf 1.1 functions bpfwasm calls. Pointer-returning functions that report failure
 * through errno are bound with errno capture (their first argument is the capture segment).
 */
final class Libbpf {
    private Libbpf() {}

    // Objects
    static final MethodHandle OBJECT_OPEN_MEM = downcallErrno("bpf_object__open_mem",
            FunctionDescriptor.of(C_POINTER, C_POINTER, C_LONG, C_POINTER));
    static final MethodHandle OBJECT_LOAD = downcall("bpf_object__load", FunctionDescriptor.of(C_INT, C_POINTER));
    static final MethodHandle OBJECT_CLOSE = downcall("bpf_object__close", FunctionDescriptor.ofVoid(C_POINTER));
    static final MethodHandle OBJECT_NEXT_PROGRAM = downcall("bpf_object__next_program",
            FunctionDescriptor.of(C_POINTER, C_POINTER, C_POINTER));
    static final MethodHandle OBJECT_NEXT_MAP = downcall("bpf_object__next_map",
            FunctionDescriptor.of(C_POINTER, C_POINTER, C_POINTER));

    // Programs
    static final MethodHandle PROGRAM_NAME = downcall("bpf_program__name", FunctionDescriptor.of(C_POINTER, C_POINTER));
    static final MethodHandle PROGRAM_SECTION_NAME = downcall("bpf_program__section_name",
            FunctionDescriptor.of(C_POINTER, C_POINTER));
    static final MethodHandle PROGRAM_FD = downcall("bpf_program__fd", FunctionDescriptor.of(C_INT, C_POINTER));
    static final MethodHandle PROGRAM_TYPE = downcall("bpf_program__type", FunctionDescriptor.of(C_INT, C_POINTER));
    static final MethodHandle PROGRAM_ATTACH = downcallErrno("bpf_program__attach",
            FunctionDescriptor.of(C_POINTER, C_POINTER));
    static final MethodHandle PROGRAM_ATTACH_TRACEPOINT = downcallErrno("bpf_program__attach_tracepoint",
            FunctionDescriptor.of(C_POINTER, C_POINTER, C_POINTER, C_POINTER));
    static final MethodHandle PROGRAM_ATTACH_RAW_TRACEPOINT = downcallErrno("bpf_program__attach_raw_tracepoint",
            FunctionDescriptor.of(C_POINTER, C_POINTER, C_POINTER));
    static final MethodHandle PROGRAM_ATTACH_UPROBE_OPTS = downcallErrno("bpf_program__attach_uprobe_opts",
            FunctionDescriptor.of(C_POINTER, C_POINTER, C_INT, C_POINTER, C_LONG, C_POINTER));
    static final MethodHandle PROGRAM_ATTACH_CGROUP = downcallErrno("bpf_program__attach_cgroup",
            FunctionDescriptor.of(C_POINTER, C_POINTER, C_INT));
    static final MethodHandle PROG_TYPE_STR = downcall("libbpf_bpf_prog_type_str",
            FunctionDescriptor.of(C_POINTER, C_INT));

    // tc filters on a clsact qdisc (kernels without TCX): int-returning, -errno on failure
    static final MethodHandle TC_HOOK_CREATE = downcall("bpf_tc_hook_create", FunctionDescriptor.of(C_INT, C_POINTER));
    static final MethodHandle TC_HOOK_DESTROY = downcall("bpf_tc_hook_destroy",
            FunctionDescriptor.of(C_INT, C_POINTER));
    static final MethodHandle TC_ATTACH = downcall("bpf_tc_attach", FunctionDescriptor.of(C_INT, C_POINTER, C_POINTER));
    static final MethodHandle TC_DETACH = downcall("bpf_tc_detach", FunctionDescriptor.of(C_INT, C_POINTER, C_POINTER));

    // Links
    /** int bpf_link_create(prog_fd, target_fd, attach_type, opts): a link fd, or -errno. */
    static final MethodHandle LINK_CREATE = downcall("bpf_link_create",
            FunctionDescriptor.of(C_INT, C_INT, C_INT, C_INT, C_POINTER));
    static final MethodHandle LINK_FD = downcall("bpf_link__fd", FunctionDescriptor.of(C_INT, C_POINTER));
    static final MethodHandle LINK_DESTROY = downcall("bpf_link__destroy", FunctionDescriptor.of(C_INT, C_POINTER));

    // Maps of an object
    static final MethodHandle MAP_NAME = downcall("bpf_map__name", FunctionDescriptor.of(C_POINTER, C_POINTER));
    static final MethodHandle MAP_TYPE = downcall("bpf_map__type", FunctionDescriptor.of(C_INT, C_POINTER));
    static final MethodHandle MAP_KEY_SIZE = downcall("bpf_map__key_size", FunctionDescriptor.of(C_INT, C_POINTER));
    static final MethodHandle MAP_VALUE_SIZE = downcall("bpf_map__value_size",
            FunctionDescriptor.of(C_INT, C_POINTER));
    static final MethodHandle MAP_MAX_ENTRIES = downcall("bpf_map__max_entries",
            FunctionDescriptor.of(C_INT, C_POINTER));
    static final MethodHandle MAP_FD = downcall("bpf_map__fd", FunctionDescriptor.of(C_INT, C_POINTER));

    // Map elements by fd: one short syscall each, so critical (byte[] passed without copying).
    static final MethodHandle MAP_LOOKUP_ELEM = downcallCritical("bpf_map_lookup_elem",
            FunctionDescriptor.of(C_INT, C_INT, C_POINTER, C_POINTER));
    static final MethodHandle MAP_UPDATE_ELEM = downcallCritical("bpf_map_update_elem",
            FunctionDescriptor.of(C_INT, C_INT, C_POINTER, C_POINTER, C_LONG));
    static final MethodHandle MAP_DELETE_ELEM = downcallCritical("bpf_map_delete_elem",
            FunctionDescriptor.of(C_INT, C_INT, C_POINTER));
    static final MethodHandle MAP_GET_NEXT_KEY = downcallCritical("bpf_map_get_next_key",
            FunctionDescriptor.of(C_INT, C_INT, C_POINTER, C_POINTER));

    static final MethodHandle NUM_POSSIBLE_CPUS = downcall("libbpf_num_possible_cpus", FunctionDescriptor.of(C_INT));

    // Kernel object ids
    static final MethodHandle PROG_GET_NEXT_ID = downcall("bpf_prog_get_next_id",
            FunctionDescriptor.of(C_INT, C_INT, C_POINTER));
    static final MethodHandle MAP_GET_NEXT_ID = downcall("bpf_map_get_next_id",
            FunctionDescriptor.of(C_INT, C_INT, C_POINTER));
    static final MethodHandle LINK_GET_NEXT_ID = downcall("bpf_link_get_next_id",
            FunctionDescriptor.of(C_INT, C_INT, C_POINTER));
    static final MethodHandle OBJ_GET_INFO_BY_FD = downcall("bpf_obj_get_info_by_fd",
            FunctionDescriptor.of(C_INT, C_INT, C_POINTER, C_POINTER));

    // Perf buffers
    static final MethodHandle PERF_BUFFER_NEW = downcallErrno("perf_buffer__new",
            FunctionDescriptor.of(C_POINTER, C_INT, C_LONG, C_POINTER, C_POINTER, C_POINTER, C_POINTER));
    static final MethodHandle PERF_BUFFER_POLL = downcall("perf_buffer__poll",
            FunctionDescriptor.of(C_INT, C_POINTER, C_INT));
    static final MethodHandle PERF_BUFFER_CONSUME = downcall("perf_buffer__consume",
            FunctionDescriptor.of(C_INT, C_POINTER));
    static final MethodHandle PERF_BUFFER_FREE = downcall("perf_buffer__free", FunctionDescriptor.ofVoid(C_POINTER));

    // Diagnostics
    static final MethodHandle STRERROR = downcall("libbpf_strerror",
            FunctionDescriptor.of(C_INT, C_INT, C_POINTER, C_LONG));
    static final MethodHandle SET_PRINT = downcall("libbpf_set_print", FunctionDescriptor.of(C_POINTER, C_POINTER));
}
