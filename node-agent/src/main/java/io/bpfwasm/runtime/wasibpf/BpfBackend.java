package io.bpfwasm.runtime.wasibpf;

import io.bpfwasm.bpf.AttachPoint;
import io.bpfwasm.bpf.BpfException;
import io.bpfwasm.bpf.EventBuffer;
import io.bpfwasm.bpf.MapType;
import java.util.List;
import java.util.function.Consumer;

/**
 * What the host module needs from the eBPF layer. {@link KernelBpf} is the real one (io.bpfwasm.bpf on libbpf);
 * the seam exists so the host module's pointer, handle and errno rules can also be tested without a kernel.
 */
public interface BpfBackend {

    /** Opens and loads an ELF object. */
    LoadedObject load(byte[] elf, String name, Consumer<String> log) throws BpfException;

    /** A loaded object; closing it detaches its links and unloads everything. */
    interface LoadedObject extends AutoCloseable {
        /** Attaches program {@code program}; target null attaches by its section name. */
        void attach(String program, String target) throws BpfException;

        /**
         * Where {@link #attach} would attach program with target (null: by its section), for the capability check.
         *
         * @throws BpfException ENOENT when there is no such program, EINVAL for a malformed target
         */
        AttachPoint attachPoint(String program, String target) throws BpfException;

        /** @throws BpfException with ENOENT when there is no such map */
        LoadedMap map(String name) throws BpfException;

        /** Kernel ids of what the object holds right now (for status and leak checks). */
        KernelIds ids();

        @Override
        void close();
    }

    /** A map of a loaded object; element operations return 0 or a negative Linux errno. */
    interface LoadedMap {
        MapType type();

        int keySize();

        /** The size of a value as the guest sees it (for per-CPU maps: all CPUs' values). */
        int valueSize();

        int lookup(byte[] key, byte[] value);

        int update(byte[] key, byte[] value, long flags);

        int delete(byte[] key);

        int nextKey(byte[] key, byte[] nextKey);

        /** The ring/perf buffer consumer of this map, created on first use. */
        EventBuffer buffer() throws BpfException;
    }

    /** Kernel ids of one object's programs, maps and links. */
    record KernelIds(List<Integer> programIds, List<Integer> mapIds, List<Integer> linkIds) {
        public KernelIds {
            programIds = List.copyOf(programIds);
            mapIds = List.copyOf(mapIds);
            linkIds = List.copyOf(linkIds);
        }
    }
}
