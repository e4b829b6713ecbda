package io.bpfwasm.bpf.ffi;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.Set;
import java.util.TreeSet;

/** Kernel-wide BPF object ids (BPF_*_GET_NEXT_ID) and the id behind an fd (BPF_OBJ_GET_INFO_BY_FD). */
public final class KernelIds {
    private static final int ENOENT = 2;
    /** bpf_prog_info, bpf_map_info and bpf_link_info all start with u32 type, u32 id. */
    private static final int INFO_PREFIX_SIZE = 8;
    private static final long ID_OFFSET = 4;

    private KernelIds() {}

    public static Set<Integer> programIds() throws ErrnoException {
        return ids(Libbpf.PROG_GET_NEXT_ID);
    }

    public static Set<Integer> mapIds() throws ErrnoException {
        return ids(Libbpf.MAP_GET_NEXT_ID);
    }

    public static Set<Integer> linkIds() throws ErrnoException {
        return ids(Libbpf.LINK_GET_NEXT_ID);
    }

    private static Set<Integer> ids(MethodHandle getNextId) throws ErrnoException {
        Set<Integer> ids = new TreeSet<>();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment next = arena.allocate(ValueLayout.JAVA_INT);
            int id = 0;
            while (true) {
                int result = (int) getNextId.invokeExact(id, next);
                if (result == -ENOENT) {
                    return ids;
                }
                if (result < 0) {
                    throw new ErrnoException(-result);
                }
                id = next.get(ValueLayout.JAVA_INT, 0);
                ids.add(id);
            }
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw Native.unexpected(t);
        }
    }

    /** The kernel id of the program, map or link behind fd. */
    public static int idOf(int fd) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment info = arena.allocate(INFO_PREFIX_SIZE, 8);
            MemorySegment length = arena.allocate(ValueLayout.JAVA_INT);
            length.set(ValueLayout.JAVA_INT, 0, INFO_PREFIX_SIZE);
            int result = (int) Libbpf.OBJ_GET_INFO_BY_FD.invokeExact(fd, info, length);
            if (result < 0) {
                throw new ErrnoException(-result);
            }
            return info.get(ValueLayout.JAVA_INT, ID_OFFSET);
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw Native.unexpected(t);
        }
    }
}
