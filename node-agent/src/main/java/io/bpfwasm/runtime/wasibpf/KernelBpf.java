package io.bpfwasm.runtime.wasibpf;

import io.bpfwasm.bpf.AttachPoint;
import io.bpfwasm.bpf.BpfException;
import io.bpfwasm.bpf.BpfLink;
import io.bpfwasm.bpf.BpfMap;
import io.bpfwasm.bpf.BpfObject;
import io.bpfwasm.bpf.BpfProgram;
import io.bpfwasm.bpf.EventBuffer;
import io.bpfwasm.bpf.MapType;
import java.util.function.Consumer;

/** The real backend: objects loaded into this machine's kernel through io.bpfwasm.bpf. */
public final class KernelBpf implements BpfBackend {

    @Override
    public LoadedObject load(byte[] elf, String name, Consumer<String> log) throws BpfException {
        return new KernelObject(BpfObject.load(elf, name, log));
    }

    private record KernelObject(BpfObject object) implements LoadedObject {
        @Override
        public void attach(String program, String target) throws BpfException {
            object.program(program).attach(target);
        }

        @Override
        public AttachPoint attachPoint(String program, String target) throws BpfException {
            return object.program(program).attachPoint(target);
        }

        @Override
        public LoadedMap map(String name) throws BpfException {
            return new KernelMap(object, object.map(name));
        }

        @Override
        public KernelIds ids() {
            return new KernelIds(object.programs().stream().map(BpfProgram::id).toList(),
                    object.maps().stream().map(BpfMap::id).toList(),
                    // tc filters of kernels without TCX have no kernel link (id -1): nothing to report or look up
                    object.links().stream().map(BpfLink::id).filter(id -> id > 0).toList());
        }

        @Override
        public void close() {
            object.close();
        }
    }

    private record KernelMap(BpfObject object, BpfMap map) implements LoadedMap {
        @Override
        public MapType type() {
            return map.type();
        }

        @Override
        public int keySize() {
            return map.keySize();
        }

        @Override
        public int valueSize() {
            return map.userValueSize(); // per-CPU maps: one slot per possible CPU
        }

        @Override
        public int lookup(byte[] key, byte[] value) {
            return map.lookup(key, value);
        }

        @Override
        public int update(byte[] key, byte[] value, long flags) {
            return map.update(key, value, flags);
        }

        @Override
        public int delete(byte[] key) {
            return map.delete(key);
        }

        @Override
        public int nextKey(byte[] key, byte[] nextKey) {
            return map.nextKey(key, nextKey);
        }

        @Override
        public EventBuffer buffer() throws BpfException {
            return object.openBuffer(map);
        }
    }
}
